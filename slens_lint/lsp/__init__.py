"""The language server, `slens-lint lsp` (optional extra: pip install 'slens-lint[lsp]').

Importing this package imports pygls: the CLI turns an ImportError into a hint to install the extra.
"""

from slens_lint.lsp.server import serve

__all__ = ["serve"]
