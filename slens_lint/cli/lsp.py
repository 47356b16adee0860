"""`slens-lint lsp`: the language server over stdio."""

from __future__ import annotations

from slens_lint.cli import _fail, app


@app.command(short_help="Run the language server over stdio.")
def lsp() -> None:
    """Run the language server over stdio (needs the `lsp` extra: pip install 'slens-lint[lsp]', from a clone './slens-lint[lsp]')."""
    try:
        from slens_lint.lsp import serve
    except ImportError as exc:
        raise _fail(f"the language server needs the lsp extra: pip install 'slens-lint[lsp]' ({exc})")
    serve()
