"""Categories (a bilingual tree) and tags."""
