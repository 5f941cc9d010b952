"""`orgburo users ...` and `orgburo audit verify`, on a store that commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from orgburo.config import get_settings
from tests.e2e.conftest import Run
from tests.factories import PASSWORD

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"


def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return path


def test_the_first_administrator_is_made_with_a_password_file(run: Run, tmp_path: Path) -> None:
    result = run("users", "create", "root", "--admin", "--password-file", password_file(tmp_path))
    assert result.exit_code == 0
    assert "created root (administrator)" in result.stdout


def test_without_a_password_file_the_password_is_asked_twice(run: Run) -> None:
    result = run("users", "create", "anna", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0
    assert "created anna" in result.stdout


def test_a_role_is_granted_and_listed(run: Run, tmp_path: Path) -> None:
    run("bodies", "import", IMPORTS / "bodies.csv")
    run("users", "create", "anna", "--password-file", password_file(tmp_path))
    assert run("users", "grant", "anna", "--role", "secretary", "--body", "CC").exit_code == 0
    assert "secretary of CC" in run("users", "list").stdout


def test_a_revoked_role_is_gone_from_the_list(run: Run, tmp_path: Path) -> None:
    run("bodies", "import", IMPORTS / "bodies.csv")
    run("users", "create", "anna", "--password-file", password_file(tmp_path))
    run("users", "grant", "anna", "--role", "secretary", "--body", "CC")
    assert run("users", "revoke", "anna", "--role", "secretary", "--body", "CC").exit_code == 0
    assert "secretary of CC" not in run("users", "list").stdout


def test_an_unknown_role_is_refused_with_exit_code_2(run: Run, tmp_path: Path) -> None:
    run("bodies", "import", IMPORTS / "bodies.csv")
    run("users", "create", "anna", "--password-file", password_file(tmp_path))
    result = run("users", "grant", "anna", "--role", "tsar", "--body", "CC")
    assert result.exit_code == 2
    assert "role: 'tsar' is not one of" in result.stderr


def test_a_token_is_printed_once(run: Run, tmp_path: Path) -> None:
    run("users", "create", "anna", "--password-file", password_file(tmp_path))
    assert run("users", "token", "anna").stdout.startswith("obt_")


def test_verify_prints_the_head_of_an_intact_trail(run: Run) -> None:
    run("bodies", "import", IMPORTS / "bodies.csv")
    result = run("audit", "verify")
    assert result.exit_code == 0
    assert "audit trail intact: 1 entries" in result.stdout


def test_verify_finds_a_deleted_last_entry(run: Run, fresh_engine: Engine) -> None:
    run("bodies", "import", IMPORTS / "bodies.csv")
    run("members", "import", IMPORTS / "members.csv")
    with fresh_engine.begin() as connection:
        connection.execute(
            text("DELETE FROM audit_entries WHERE id = (SELECT MAX(id) FROM audit_entries)")
        )
    result = run("audit", "verify")
    assert result.exit_code == 6
    assert "deleted at the end" in result.stderr


def test_after_a_new_secret_key_verify_reseals_the_head(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("bodies", "import", IMPORTS / "bodies.csv")
    monkeypatch.setenv("ORGBURO_SECRET_KEY", "a new secret key for this store, long enough")
    get_settings.cache_clear()
    assert run("audit", "verify").exit_code == 6
    assert run("audit", "verify", "--reseal").exit_code == 0
    assert run("audit", "verify").exit_code == 0
