"""The registry of every model, so metadata is complete for Alembic, tests and seeding."""

from app.accounts.models import ApiToken, User, UserSession
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.db import Base
from app.importing.models import ImportRun, Source, SourceEntry
from app.ratings.models import Rating
from app.taxonomy.models import Category, Tag
from app.web.ratelimit import RateLimitEvent

__all__ = [
    "ApiToken",
    "Author",
    "Base",
    "Category",
    "ImportRun",
    "Paper",
    "PaperAuthor",
    "PaperCategory",
    "PaperTag",
    "RateLimitEvent",
    "Rating",
    "Source",
    "SourceEntry",
    "Tag",
    "User",
    "UserSession",
]
