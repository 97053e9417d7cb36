"""Full-text search over the catalogue: one tokenizer, an index per database kept in sync, ranked matches."""
