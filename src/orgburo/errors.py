"""One error hierarchy for the whole application.

Every entrypoint maps these once: HTTP statuses in `web.errors`, CLI exit codes in `cli`.
Messages name the field and the reason, because the person reading them has to fix
the input, not read a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and why it is wrong."""

    field: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.reason}"


class OrgburoError(Exception):
    """Base of every error Orgburo raises on purpose."""

    http_status = 400
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(OrgburoError):
    """The thing named does not exist."""

    http_status = 404
    exit_code = 3


class Conflict(OrgburoError):
    """The change contradicts what is already stored."""

    http_status = 409
    exit_code = 4


class PermissionDenied(OrgburoError):
    """The actor may not do this here."""

    http_status = 403
    exit_code = 5


class NotSignedIn(OrgburoError):
    """Nobody is signed in, or the credentials given do not identify anyone."""

    http_status = 401
    exit_code = 5


class TooManyAttempts(OrgburoError):
    """Too many failed sign-ins from this account or address; wait and try again."""

    http_status = 429
    exit_code = 5


@dataclass
class Invalid(OrgburoError):
    """The input is wrong; `problems` lists every field and reason found."""

    problems: list[Problem] = field(default_factory=list)
    http_status = 422
    exit_code = 2

    def __post_init__(self) -> None:
        OrgburoError.__init__(self, "; ".join(str(p) for p in self.problems[:20]))

    @classmethod
    def one(cls, field_name: str, reason: str, row: int | None = None) -> Invalid:
        """An error about a single field."""
        return cls([Problem(field_name, reason, row)])

    def __str__(self) -> str:
        more = len(self.problems) - 20
        suffix = f"; and {more} more" if more > 0 else ""
        return self.message + suffix
