"""Paper Atlas: browse, search, curate and rate the papers behind large language models."""

__version__ = "0.1.0"
