"""Intrinsic function expressions as written: what they refer to, and whether two name expressions
are equal.

These read expressions (`{"Fn::Sub": ...}`), not property values: `values` wraps a property in the value
type and hands its expression here for questions such as "which resource does this `Ref` name?".
Every function accepts any shape (a hostile template may put a number where a list belongs) and answers
"cannot tell" (None, or an empty result) rather than raising.
"""

from __future__ import annotations

import re
from typing import Any, Optional

INTRINSIC_KEYS = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::GetAtt",
        "Fn::Sub",
        "Fn::Join",
        "Fn::If",
        "Fn::ImportValue",
        "Fn::FindInMap",
        "Fn::Select",
        "Fn::Split",
        "Fn::Base64",
        "Fn::GetAZs",
        "Fn::Cidr",
        "Fn::Equals",
        "Fn::Not",
        "Fn::And",
        "Fn::Or",
        "Fn::Transform",
        "Fn::Length",
        "Fn::ToJsonString",
        "Fn::ForEach",
    }
)

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def is_intrinsic(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value.keys()
    return isinstance(key, str) and (key in INTRINSIC_KEYS or key.startswith("Fn::"))


def is_pseudo(name: str) -> bool:
    return name.startswith("AWS::")


def ref_target(value: Any) -> Optional[str]:
    """The logical id a `Ref` or `Fn::GetAtt` (any attribute) points at, else None."""
    if not is_intrinsic(value):
        return None
    ((fn, args),) = value.items()
    if fn == "Ref" and isinstance(args, str) and not is_pseudo(args):
        return args
    if fn == "Fn::GetAtt":
        if isinstance(args, str) and "." in args:
            return args.split(".", 1)[0]
        if isinstance(args, list) and args and isinstance(args[0], str):
            return args[0]
    return None


def getatt(value: Any) -> Optional[tuple[str, str]]:
    """(logical id, attribute) of an `Fn::GetAtt`, else None."""
    if not is_intrinsic(value) or "Fn::GetAtt" not in value:
        return None
    args = value["Fn::GetAtt"]
    if isinstance(args, str) and "." in args:
        res, attr = args.split(".", 1)
        return res, attr
    if isinstance(args, list) and len(args) == 2 and all(isinstance(a, str) for a in args):
        return args[0], args[1]
    return None


def sub_parts(value: Any) -> Optional[tuple[str, dict[str, Any]]]:
    """The template string and variable map of an `Fn::Sub` (both forms), else None."""
    if not is_intrinsic(value) or "Fn::Sub" not in value:
        return None
    args = value["Fn::Sub"]
    if isinstance(args, str):
        return args, {}
    if (
        isinstance(args, list)
        and len(args) == 2
        and isinstance(args[0], str)
        and isinstance(args[1], dict)
    ):
        return args[0], dict(args[1])
    return None


def references(value: Any, _depth: int = 0) -> set[str]:
    """Every logical id (or parameter) a value refers to, through any nesting of intrinsics."""
    found: set[str] = set()
    stack: list[Any] = [value]
    seen = 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > 100_000:
            break
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        target = ref_target(node)
        if target:
            found.add(target)
            continue
        parts = sub_parts(node)
        if parts is not None:
            text, variables = parts
            for name in _SUB_VAR.findall(text):
                base = name.split(".", 1)[0].strip()
                if base not in variables and not is_pseudo(base):
                    found.add(base)
            stack.extend(variables.values())
            continue
        stack.extend(node.values())
    return found


# Tokens make name expressions comparable: ("lit", "abc"), ("ref", "Fn"), ("att", "Fn", "Arn"),
# ("pseudo", "AWS::Region"). Adjacent literals are merged, so `!Sub /aws/lambda/${Fn}`,
# `!Join ['', ['/aws/lambda/', !Ref Fn]]` and the Sub list form all give the same tuple.
Token = tuple[str, ...]


def string_tokens(value: Any) -> Optional[tuple[Token, ...]]:
    """A canonical token form of a string-valued expression, or None when it cannot be known."""
    tokens = _tokens(value, 0)
    if tokens is None:
        return None
    return _merge(tokens)


def _tokens(value: Any, depth: int) -> Optional[list[Token]]:
    if depth > 20:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return [("lit", str(value))]
    if not is_intrinsic(value):
        return None
    ((fn, args),) = value.items()
    if fn == "Ref" and isinstance(args, str):
        return [("pseudo", args)] if is_pseudo(args) else [("ref", args)]
    if fn == "Fn::GetAtt":
        pair = getatt(value)
        return [("att", pair[0], pair[1])] if pair else None
    if fn == "Fn::Sub":
        parts = sub_parts(value)
        if parts is None:
            return None
        return _sub_tokens(parts[0], parts[1], depth)
    if fn == "Fn::Join":
        if not (isinstance(args, list) and len(args) == 2 and isinstance(args[0], str)):
            return None
        delimiter, items = args
        if not isinstance(items, list):
            return None
        out: list[Token] = []
        for index, item in enumerate(items):
            if index and delimiter:
                out.append(("lit", delimiter))
            sub = _tokens(item, depth + 1)
            if sub is None:
                return None
            out.extend(sub)
        return out
    return None


def _sub_tokens(text: str, variables: dict[str, Any], depth: int) -> Optional[list[Token]]:
    out: list[Token] = []
    position = 0
    for match in _SUB_VAR.finditer(text):
        out.append(("lit", text[position : match.start()].replace("${!", "${")))
        name = match.group(1).strip()
        if name in variables:
            sub = _tokens(variables[name], depth + 1)
            if sub is None:
                return None
            out.extend(sub)
        elif is_pseudo(name):
            out.append(("pseudo", name))
        elif "." in name:
            resource, attribute = name.split(".", 1)
            out.append(("att", resource, attribute))
        else:
            out.append(("ref", name))
        position = match.end()
    out.append(("lit", text[position:].replace("${!", "${")))
    return out


def _merge(tokens: list[Token]) -> tuple[Token, ...]:
    merged: list[Token] = []
    for token in tokens:
        if token[0] == "lit":
            if not token[1]:
                continue
            if merged and merged[-1][0] == "lit":
                merged[-1] = ("lit", merged[-1][1] + token[1])
                continue
        merged.append(token)
    return tuple(merged)


def same_string(a: Any, b: Any) -> bool:
    """Structural equality of two string expressions (literal, Ref, Sub, Join); unknown is unequal."""
    ta, tb = string_tokens(a), string_tokens(b)
    return ta is not None and ta == tb


def literal_string(value: Any) -> Optional[str]:
    """The value as a plain string when it is one (or a Sub/Join of literals only)."""
    tokens = string_tokens(value)
    if tokens is None:
        return None
    if not tokens:
        return ""
    if len(tokens) == 1 and tokens[0][0] == "lit":
        return tokens[0][1]
    return None
