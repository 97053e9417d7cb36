"""The registry of every model, so metadata is complete for Alembic, tests and seeding."""

from app.accounts.models import ApiToken, User, UserSession
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperFieldSource, PaperTag
from app.db import Base
from app.importing.models import EntryKindChoice, ImportRun, ListResource, Source, SourceEntry
from app.metadata.models import MetadataAnswer
from app.ratings.models import Rating
from app.taxonomy.models import Category, Tag
from app.web.ratelimit import RateLimitEvent

__all__ = [
    "ApiToken",
    "Author",
    "Base",
    "Category",
    "EntryKindChoice",
    "ImportRun",
    "ListResource",
    "MetadataAnswer",
    "Paper",
    "PaperAuthor",
    "PaperCategory",
    "PaperFieldSource",
    "PaperTag",
    "RateLimitEvent",
    "Rating",
    "Source",
    "SourceEntry",
    "Tag",
    "User",
    "UserSession",
]
