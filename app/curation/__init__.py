"""Editors' work across domains: merging duplicate papers, tags and categories, and shaping the taxonomy."""
