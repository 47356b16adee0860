"""`slens-lint rules` and `slens-lint explain`: the rules and their documentation."""

from __future__ import annotations

import sys

import typer

from slens_lint.cli import _fail, app


@app.command("rules", short_help="List every rule (id, severity, pillar, title).")
def rules_command(
    format: str = typer.Option("text", "--format", "-f", metavar="text|json", help="Output format."),
) -> None:
    """List every rule: id, cfn-lint id, severity, pillar, title; then the cfn-lint built-ins the Lens covers."""
    import json

    from slens_lint.rules.registry import builtin_rules, rule_classes

    classes = rule_classes()
    builtins = builtin_rules()  # cfn-lint's own rules, run by default under their cfn-lint ids
    if format == "json":
        typer.echo(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "cfn_lint_id": c.cfn_lint_id(),
                        "name": c.slug(),
                        "severity": c.severity.value,
                        "pillar": c.pillar().value,
                        "title": c.title,
                        "practice": c.practice,
                        "opt_in": c.opt_in,
                        "builtin": getattr(c, "builtin", False),
                        "docs": c.docs_url(),
                    }
                    for c in sorted((*classes, *builtins), key=lambda c: c.id)
                ],
                indent=2,
            )
        )
        return
    if format != "text":
        raise _fail("--format must be text or json")
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("Id", "cfn-lint", "Severity", "Pillar", "Title"):
        table.add_column(column)
    for c in classes:
        table.add_row(c.id, c.cfn_lint_id(), c.severity.value, c.pillar().title, c.title + (" (opt-in)" if c.opt_in else ""))
    console = Console(soft_wrap=True, width=200 if not sys.stdout.isatty() else None)
    console.print(table)
    # cfn-lint's own rules that belong to the Lens: run by default, reported under their cfn-lint ids.
    # Their practice is shown ("Security 4"): a cfn-lint id does not tell which practice it checks.
    extra = Table(box=None, pad_edge=False, show_edge=False, title="cfn-lint built-ins", title_justify="left")
    for column in ("Id", "Severity", "Lens practice", "Title"):
        extra.add_column(column)
    for b in builtins:
        extra.add_row(b.id, b.severity.value, b.practice.split(":")[0], b.title + " (cfn-lint built-in)")
    console.print()
    console.print(extra)


def _explain(rule_id: str) -> None:
    from slens_lint.docs import rule_markdown
    from slens_lint.rules.registry import get

    cls = get(rule_id.strip().upper())
    if cls is None:
        raise _fail(f"unknown rule '{rule_id}' (see `slens-lint rules`)")
    text = rule_markdown(cls, for_file=False)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        typer.echo(text.rstrip("\n"))


@app.command()
def explain(rule_id: str = typer.Argument(..., metavar="ID", hidden=True)) -> None:
    """Print a rule's documentation.

    ID: canonical (SL501) or cfn-lint (WSL501), any case.
    """
    _explain(rule_id)


@app.command("rule")
def rule(rule_id: str = typer.Argument(..., metavar="ID", hidden=True)) -> None:
    """Print a rule's documentation (the same as `explain`).

    ID: canonical (SL501) or cfn-lint (WSL501), any case.
    """
    _explain(rule_id)
