"""Case search: a term index (PostgreSQL tsvector + GIN, SQLite FTS5) and an exact-match index of
identifiers, kept up to date by the case services as messages arrive. See docs/search.md."""
