"""Settings, read once from the environment (prefix ORGBURO_) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from orgburo.errors import Invalid

DEFAULT_SQLITE_PATH = Path("var") / "orgburo.sqlite3"
PLACEHOLDER_SECRET = "development-only-secret"
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Every setting Orgburo reads; each one is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="ORGBURO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL of the store: a SQLite file or postgresql+psycopg://...",
    )
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description="Key that signs session cookies; must be changed outside development.",
    )
    dev_mode: bool = Field(
        default=True, description="Development mode: allows the placeholder key."
    )
    page_size: int = Field(default=50, ge=1, le=1000, description="Rows per page in lists.")
    import_batch_rows: int = Field(
        default=100_000, ge=1, description="Rows read and loaded per batch by the importers."
    )
    session_hours: float = Field(
        default=12, gt=0, le=24 * 30, description="Hours a sign-in lasts without activity."
    )

    def check_secret(self) -> None:
        """Refuse the placeholder (or a short) secret key outside development mode."""
        if self.dev_mode:
            return
        if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise Invalid.one(
                "ORGBURO_SECRET_KEY",
                f"set a random secret of at least {MIN_SECRET_LENGTH} characters "
                "(the placeholder is refused outside development mode)",
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings."""
    return Settings()
