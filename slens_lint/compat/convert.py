"""slens-lint's decoded tree as cfn-lint's: the same values and marks, in cfn-lint's node types.

cfn-lint's checks (the Lens built-ins, `--cfn-lint`) read positions from its own node classes
(`dict_node`, `str_node`, `list_node` and their marks), so the tree is converted when, and only when,
they run. Aliases are recorded as cfn-lint's decoder records them where this cfn-lint release can.
"""

from __future__ import annotations

from typing import Any

from slens_lint.compat import cfnlint as cfn


def to_cfnlint(tree: Any, text: str = "") -> Any:
    """A converted copy of `tree` (shared nodes stay shared, as YAML aliases make them)."""
    converted: dict[int, Any] = {}
    result = _convert(tree, converted)
    if text and "&" in text and isinstance(result, dict):
        find = getattr(cfn.cfn_yaml, "_find_aliases", None)
        if find is not None:  # recorded since cfn-lint 1.55: its alias rule reads them
            aliases = find(text, result)
            if aliases:
                setattr(result, "yaml_aliases", aliases)
    return result


def _mark(mark: Any) -> Any:
    return cfn.Mark(mark.line, mark.column)


def _convert(node: Any, converted: dict[int, Any]) -> Any:
    # Recursion is bounded: the loader refuses trees nested deeper than 100 levels.
    if isinstance(node, (dict, list)) and id(node) in converted:
        return converted[id(node)]
    start, end = getattr(node, "start_mark", None), getattr(node, "end_mark", None)
    if isinstance(node, dict):
        items = {_convert(k, converted): _convert(v, converted) for k, v in node.items()}
        if start is None:
            return items
        result: Any = cfn.dict_node(items, _mark(start), _mark(end))
        # Set apart from the constructor: its parameter is newer than the oldest supported cfn-lint.
        result.using_merge = bool(getattr(node, "using_merge", False))
        converted[id(node)] = result
        return result
    if isinstance(node, list):
        items_list = [_convert(v, converted) for v in node]
        if start is None:
            return items_list
        result = cfn.list_node(items_list, _mark(start), _mark(end))
        converted[id(node)] = result
        return result
    if isinstance(node, str) and start is not None:
        return cfn.str_node(str(node), _mark(start), _mark(end))
    return node
