"""Papers, their authors and identifiers."""
