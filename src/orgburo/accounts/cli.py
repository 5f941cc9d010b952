"""`orgburo users ...`: accounts, their roles and API tokens, from the server's console."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from orgburo.accounts import service as accounts
from orgburo.actors import cli_actor
from orgburo.cli_support import console, fail, transaction
from orgburo.db import default_engine
from orgburo.migrations import upgrade

app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)
ROLE_HELP = "secretary, bureau_member or control_commission."


def _password(password_file: Path | None) -> str:
    if password_file is None:
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    lines = password_file.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0]:
        fail("--password-file", f"{password_file} is empty; its first line is the password")
    return lines[0]


@app.command("create")
def create(
    name: str = typer.Argument(..., help="Account name."),
    admin: bool = typer.Option(False, "--admin", help="Make the account a system administrator."),
    member: str | None = typer.Option(None, help="Registry id of the member the account is."),
    password_file: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="Read the password from the file's first line."
    ),
) -> None:
    """Create an account; without --password-file the password is asked for."""
    upgrade(default_engine())
    password = _password(password_file)
    with transaction() as session:
        accounts.create(
            session,
            name=name,
            password=password,
            is_admin=admin,
            member_id=member,
            actor=cli_actor(),
        )
    console.print(f"created {name}" + (" (administrator)" if admin else ""))


@app.command("grant")
def grant(
    name: str = typer.Argument(...),
    role: str = typer.Option(..., help=ROLE_HELP),
    body: str = typer.Option(..., help="Code of the body (a commission for control_commission)."),
) -> None:
    """Give an account a role on a body."""
    with transaction() as session:
        accounts.grant(session, name=name, role=role, body_code=body, actor=cli_actor())
    console.print(f"{name} is now {role} of {body}")


@app.command("revoke")
def revoke(
    name: str = typer.Argument(...),
    role: str = typer.Option(..., help=ROLE_HELP),
    body: str = typer.Option(..., help="Code of the body."),
) -> None:
    """Take a role on a body away from an account."""
    with transaction() as session:
        accounts.revoke(session, name=name, role=role, body_code=body, actor=cli_actor())
    console.print(f"{name} is no longer {role} of {body}")


@app.command("list")
def list_() -> None:
    """List the accounts and their roles."""
    with transaction() as session:
        table = Table("name", "administrator", "member", "roles")
        for account in accounts.accounts(session, actor=cli_actor()):
            table.add_row(
                account.name,
                "yes" if account.is_admin else "",
                account.member or "",
                ", ".join(f"{role} of {body}" for role, body in account.roles),
            )
    console.print(table)


@app.command("token")
def token(
    name: str = typer.Argument(...),
    label: str = typer.Option("", help="What the token is for."),
) -> None:
    """Issue an API token for the account and print it (it is stored hashed, shown once)."""
    with transaction() as session:
        issued = accounts.issue_token(session, name=name, label=label, actor=cli_actor())
    print(issued)
