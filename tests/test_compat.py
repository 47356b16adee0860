"""cfn-lint behind one door: every cfn-lint name slens-lint uses is listed in slens_lint/compat/cfnlint.py,
and each must exist in the installed cfn-lint. When a release moves one, the failure names the symbol
and the version, so the fix starts at the right place. CI runs this on the oldest supported cfn-lint
and on the newest (see .ci/run)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from slens_lint.compat import cfnlint as door

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module,name", door.PUBLIC_NAMES + door.PRIVATE_NAMES, ids=lambda v: str(v))
def test_each_cfn_lint_name_exists(module: str, name: str):
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"cfn-lint {door.VERSION} has no module {module} (slens-lint uses {module}.{name}): {exc}")
    assert hasattr(found, name), f"cfn-lint {door.VERSION} has no {module}.{name}, which slens-lint uses"


@pytest.mark.parametrize("module,name,attribute", door.ATTRIBUTES, ids=lambda v: str(v))
def test_each_private_attribute_exists(module: str, name: str, attribute: str):
    owner = getattr(importlib.import_module(module), name)
    assert hasattr(owner, attribute), f"cfn-lint {door.VERSION}: {module}.{name} has no {attribute}, which slens-lint calls"


def test_the_door_lists_every_name_it_imports():
    """What compat/cfnlint.py imports from cfn-lint is exactly what its lists pin."""
    tree = ast.parse((ROOT / "slens_lint" / "compat" / "cfnlint.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cfnlint"):
            imported |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("cfnlint."):
                    module, _, name = alias.name.rpartition(".")
                    imported.add((module, name))
    pinned = set(door.PUBLIC_NAMES) | set(door.PRIVATE_NAMES)
    assert imported - pinned == set(), "imported but not pinned"


def test_supported_range_matches_the_packaging():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"cfn-lint>={door.OLDEST_SUPPORTED.rsplit(".", 1)[0]},<2"' in text
