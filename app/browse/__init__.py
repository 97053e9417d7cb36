"""The read side on top of every domain: lists, facets, paper and topic pages, stats, the account overview."""
