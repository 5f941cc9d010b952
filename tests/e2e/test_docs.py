"""Every CLI command and every setting is documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from orgburo.cli import app
from orgburo.config import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def commands(command: Any, path: tuple[str, ...] = ("orgburo",)) -> Iterator[tuple[str, Any]]:
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))
    else:
        yield " ".join(path), command


ALL = dict(commands(get_command(app)))


def section(text: str, heading: str) -> str:
    start = text.index(f"### {heading}\n")
    end = text.find("\n#", start + 1)
    return text[start:] if end == -1 else text[start:end]


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_command_and_its_options_are_documented(name: str) -> None:
    text = (DOCS / "cli.md").read_text()
    assert f"### {name}\n" in text, f"{name} has no section in docs/cli.md"
    documented = section(text, name)
    for param in ALL[name].params:
        longest = max(getattr(param, "opts", []) or [""], key=len)
        if longest.startswith("--") and longest != "--help":
            assert longest in documented, f"{name}: {longest} is not documented"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"ORGBURO_{name.upper()}" in (DOCS / "settings.md").read_text()
