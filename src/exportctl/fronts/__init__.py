"""Thin fronts over the library: CLI, HTTP API, web page, batch runner. No rules live here."""
