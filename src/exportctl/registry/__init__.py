"""Measures as data: schema, loader, the regime on a date, timelines, diffs, scenarios."""
