"""Data files for text repair: the derived character model (see README.md here)."""
