"""The service's own state: health and what the catalogue holds."""
