"""Typed values shared by every layer: dates and intervals, citations, countries, items, parties."""
