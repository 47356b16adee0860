"""cfn-lint behind one door: every cfn-lint internal slens-lint relies on is declared in
slens_lint/compat/cfnlint.py (names, attributes, overridden methods, keyword arguments, data files), and
each must hold in the installed cfn-lint. When a release moves one, the failure names the symbol and the
version, so the fix starts at the right place. CI runs this on the oldest supported cfn-lint and on the
newest (see .ci/run)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Callable

import pytest
from packaging.version import Version

from slens_lint.compat import cfnlint as door
from slens_lint.rules.registry import builtin_rules
from slens_lint.template import positions, runtimes

ROOT = Path(__file__).resolve().parent.parent

# Instances for owners whose attributes are set per instance (in `__init__`), not on the class.
_SAMPLES: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("cfnlint.template", "Template"): lambda cls: cls(None, {"Resources": {}}),
    ("cfnlint.jsonschema", "ValidationError"): lambda cls: cls("message"),
    ("cfnlint.rules", "CloudFormationLintRule"): lambda cls: cls(),
}


def _flat(entries) -> list[tuple]:
    return [(*entry[:-1], item) for entry in entries for item in entry[-1]]


def _owner(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"cfn-lint {door.VERSION} has no {module}.{name}, which slens-lint uses: {exc}")


def _has(module: str, name: str, attribute: str) -> bool:
    owner = _owner(module, name)
    if hasattr(owner, attribute):
        return True
    if dataclasses.is_dataclass(owner) and attribute in {f.name for f in dataclasses.fields(owner)}:
        return True
    if attribute in getattr(owner, "__required_keys__", set()) | getattr(owner, "__optional_keys__", set()):
        return True  # a TypedDict's key
    sample = _SAMPLES.get((module, name))
    return sample is not None and hasattr(sample(owner), attribute)


@pytest.mark.parametrize("module,name", door.PUBLIC_NAMES + door.PRIVATE_NAMES, ids=lambda v: str(v))
def test_each_cfn_lint_name_exists(module: str, name: str):
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"cfn-lint {door.VERSION} has no module {module} (slens-lint uses {module}.{name}): {exc}")
    assert hasattr(found, name), f"cfn-lint {door.VERSION} has no {module}.{name}, which slens-lint uses"


@pytest.mark.parametrize("module,name,attribute", _flat(door.ATTRIBUTES), ids=lambda v: str(v))
def test_each_attribute_exists(module: str, name: str, attribute: str):
    assert _has(module, name, attribute), f"cfn-lint {door.VERSION}: {module}.{name} has no {attribute}, which slens-lint uses"


@pytest.mark.parametrize("module,name,method", _flat(door.OVERRIDDEN), ids=lambda v: str(v))
def test_each_overridden_method_exists(module: str, name: str, method: str):
    assert callable(getattr(_owner(module, name), method, None)), (
        f"cfn-lint {door.VERSION}: {module}.{name} has no method {method}, which slens-lint overrides "
        "(the override no longer applies)"
    )


@pytest.mark.parametrize("module,name,method,parameter", _flat(door.PARAMETERS), ids=lambda v: str(v))
def test_each_keyword_argument_is_taken(module: str, name: str, method: str, parameter: str):
    owner = _owner(module, name)
    found = inspect.signature(getattr(owner, method)).parameters
    named = parameter in found and found[parameter].kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    # cfn-lint's `evolve`/`descend` take **kwargs and build the dataclass from them.
    through_fields = (
        any(p.kind is inspect.Parameter.VAR_KEYWORD for p in found.values())
        and dataclasses.is_dataclass(owner)
        and parameter in {f.name for f in dataclasses.fields(owner) if f.init}
    )
    assert named or through_fields, f"cfn-lint {door.VERSION}: {module}.{name}.{method}() takes no {parameter}=, which slens-lint passes"


@pytest.mark.parametrize("module,name,attribute,since", door.OPTIONAL, ids=lambda v: str(v))
def test_each_optional_attribute_exists_where_it_should(module: str, name: str, attribute: str, since: str):
    if Version(door.VERSION) < Version(since):
        pytest.skip(f"{module}.{name}.{attribute} is read from cfn-lint {since} on; {door.VERSION} is installed")
    assert _has(module, name, attribute), (
        f"cfn-lint {door.VERSION}: {module}.{name} has no {attribute} (there since {since}), which slens-lint "
        "reads when present: its fallback would silently drop what it gives"
    )


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


# ---- what the door cannot import: the built-ins' rule classes, data files, node marks ---------------


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_each_builtin_rule_class_exists(rule):
    """slens_lint/rules/builtin.py names each built-in's cfn-lint class by dotted path (`cfn_lint_class`)."""
    try:
        instance = door.load(rule.cfn_lint_class)()
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"cfn-lint {door.VERSION} has no {rule.cfn_lint_class}, the class of built-in {rule.id}: {exc}")
    assert instance.id == rule.id, f"cfn-lint {door.VERSION}: {rule.cfn_lint_class} has id {instance.id}, expected {rule.id}"
    if not rule.native():
        # compat/builtins.py drives it as a keyword child of E1101 on the resources its keywords name.
        keywords = list(getattr(instance, "keywords", ()))
        assert "E1101" in instance.parent_rules and any(k.startswith("Resources/") for k in keywords), (
            f"cfn-lint {door.VERSION}: {rule.cfn_lint_class} is no longer a keyword child of E1101 on resources "
            f"(parent rules {instance.parent_rules}, keywords {keywords}), which slens-lint's built-in runner relies on"
        )


@pytest.mark.parametrize("relative", door.DATA_FILES)
def test_each_data_file_exists(relative: str):
    spec = find_spec("cfnlint")
    assert spec is not None and spec.submodule_search_locations
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    assert path.is_file(), f"cfn-lint {door.VERSION} has no {relative}, which slens-lint reads"


def test_the_runtime_lifecycle_reads():
    assert runtimes.DATA_FILE in door.DATA_FILES, "the door lists the file slens_lint/template/runtimes.py reads"
    try:
        data = runtimes.lifecycle()
    except runtimes.LifecycleDataError as exc:
        pytest.fail(str(exc))  # names the file and cfn-lint's version
    assert "python2.7" in data, f"cfn-lint {door.VERSION}: {runtimes.DATA_FILE} lists no python2.7"


def test_a_missing_or_reshaped_lifecycle_is_an_error(monkeypatch, tmp_path: Path):
    """Not an empty table, which would silence the runtime rules."""
    monkeypatch.setattr(runtimes, "DATA_FILE", "data/AdditionalSpecs/NoSuchFile.json")
    runtimes.lifecycle.cache_clear()
    try:
        with pytest.raises(runtimes.LifecycleDataError, match=rf"cfn-lint {door.VERSION}: cannot read .*NoSuchFile\.json"):
            runtimes.lifecycle()
        with pytest.raises(runtimes.LifecycleDataError):
            runtimes.phase("python2.7")
    finally:
        runtimes.lifecycle.cache_clear()
    assert runtimes._shape_problem({"go1.x": {"deprecated": "2023-12-31"}}) == "'go1.x' has no create-block, update-block, successor"
    reshaped = {"go1.x": {"deprecated": "31/12/2023", "create-block": None, "update-block": None, "successor": None}}
    assert "not a YYYY-MM-DD date" in runtimes._shape_problem(reshaped)


def test_builtin_resource_name_patterns_exist():
    """compat/builtins.py checks only resources whose logical id E3001's schema admits: without the
    patterns it would silently check none."""
    schema = door.load_resource(door.resource_schemas, "configuration.json")
    assert schema.get("patternProperties"), f"cfn-lint {door.VERSION}: data/schemas/other/resources/configuration.json has no patternProperties"


@pytest.mark.parametrize("make", ["dict_node", "list_node", "str_node"])
def test_nodes_made_without_a_position_have_none(make: str):
    """cfn-lint's nodes made without marks (its SAM Globals merge makes some) carry its `Mark()` default,
    which slens_lint/template/positions.py recognises as no position."""
    node = getattr(door, make)({"a": 1} if make == "dict_node" else [1] if make == "list_node" else "a", None, None)
    assert positions.span_of(node) is None, (
        f"cfn-lint {door.VERSION}: a cfnlint.decode.node.{make} made without marks carries "
        f"{node.start_mark!r}..{node.end_mark!r}, which slens_lint/template/positions.py takes for a position"
    )
    placed = getattr(door, make)(node, door.Mark(1, 1), door.Mark(1, 4))
    assert positions.span_of(placed) == (1, 1, 1, 4)


def test_the_extend_wrapper_takes_what_extend_takes():
    """compat/builtins.py wraps the validator's `extend` (to reuse the classes it makes): the wrapper
    must take the same parameters, or cfn-lint's calls through it fail."""
    from slens_lint.compat.builtins import _reusing_extensions

    cls = _reusing_extensions(door.CfnTemplateValidator({}).extend(validators={}))
    ours = list(inspect.signature(cls.extend).parameters)
    theirs = list(inspect.signature(door.CfnTemplateValidator.extend).parameters)
    assert ours == theirs, f"cfn-lint {door.VERSION}: CfnTemplateValidator.extend takes {theirs}; slens-lint's wrapper takes {ours}"
