"""Why a record could not be had: fetching is off, or the source failed to answer."""

from __future__ import annotations

from app.errors import DomainError


class FetchingOff(DomainError):
    """A setting of this server, not an outage: retrying will not help, so 422 rather than 503."""

    status_code = 422
    code = "metadata_fetch_off"
    title = "Looking papers up is off"

    def __init__(self) -> None:
        super().__init__(
            "Looking papers up on arXiv and Crossref is turned off here (METADATA_FETCH=off); "
            "type the paper's details instead."
        )


class SourceUnavailable(DomainError):
    """The source could not be reached, kept failing or kept asking us to slow down."""

    status_code = 503
    code = "metadata_source_unavailable"
    title = "Source unavailable"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source} could not be reached ({reason}); try again later or type the details.")
        self.source = source
        self.reason = reason
