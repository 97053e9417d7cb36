"""Bringing awesome lists in: parsing, text repair, normalisation and the upsert service."""
