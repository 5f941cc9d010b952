"""Settings, read once from the environment (prefix ORGBURO_) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "orgburo.sqlite3"


class Settings(BaseSettings):
    """Every setting Orgburo reads; each one is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="ORGBURO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL of the store: a SQLite file or postgresql+psycopg://...",
    )
    secret_key: str = Field(
        default="development-only-secret",
        description="Key that signs session cookies; must be changed outside development.",
    )
    dev_mode: bool = Field(
        default=True, description="Development mode: allows the placeholder key."
    )
    page_size: int = Field(default=50, ge=1, le=1000, description="Rows per page in lists.")
    import_batch_rows: int = Field(
        default=100_000, ge=1, description="Rows read and loaded per batch by the importers."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings."""
    return Settings()
