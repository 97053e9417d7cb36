"""Bibliographic records from outside sources (arXiv, Crossref), fetched politely and cached.

This domain knows identifiers and records, never the catalogue: the catalogue decides what to do with them.
"""
