"""Duty stacks: MFN base rates from the HTS, additional layers from the regime, columnar throughout."""

from exportctl.engine.tariff.rates import Rate, parse_rate, parse_rates
from exportctl.engine.tariff.stack import tariff

__all__ = ["Rate", "parse_rate", "parse_rates", "tariff"]
