"""Exporting the catalogue: BibTeX, RIS, CSV, JSON, an awesome-list in markdown, and the Atom feed."""
