"""Fictional demonstration data for the platform (`manage.py seed_demo`).

`data.py` holds the data as plain lists of dicts, to extend by hand; `loader.py` writes it idempotently.
"""
