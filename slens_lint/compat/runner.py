"""One decoded template through cfn-lint's pipeline, as `cfnlint.runner.run_template_by_data` runs it,
minus work a slens-lint run does not use.

cfn-lint's runner builds a `Template` whose constructor walks the tree five times (`transform_pre`),
builds the condition set and the resource graph (networkx), and, when a `Transform` is declared,
builds graph, conditions and context all over again after merging SAM `Globals`. On the corpus that
was a fifth of a default run, and the graph is read only by cfn-lint rules that a default run does not
register. Its de-duplication of matches is quadratic (a list scan per match): minutes on a template
with thousands of findings.

Here:
- `LeanTemplate` is cfn-lint's `Template` with `graph`, `conditions`, `context` and the deep-key parts
  of `transform_pre` built on first use, from the tree as it is then (after the Globals merge, which is
  what cfn-lint rebuilds them from). The default run uses it; with `--cfn-lint` cfn-lint's own
  `Template` is used, since some of its rules read the pre-transform `transform_pre`.
- matches are de-duplicated by their fields in linear time, with the same result.

Everything else is cfn-lint's own code (or, for the region check and the directive filter, a copy of
its few lines): template `Metadata` configuration, the SAM Globals merge, the
rule collection's `run` (enabled checks, configuration, rule errors), resource-level `ignore_checks`.
tests/test_compat_runner.py checks that the findings equal those of `run_template_by_data` on the
corpus and on the bad-input suite, and that `LeanTemplate` sets what `Template.__init__` sets.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable, Iterator

from slens_lint.compat.cfnlint import (
    FUNCTION_FOR_EACH,
    REGION_PRIMARY,
    REGIONS,
    TRANSFORM_LANGUAGE_EXTENSION,
    TRANSFORM_SAM,
    Conditions,
    ConfigMixIn,
    Graph,
    InvalidRegionException,
    Template,
    TransformError,
    create_context_for_template,
    language_extension,
    merge_globals,
)

# `transform_pre` key -> what `Template.__init__` searches for it (`Fn::ForEach::<name>` keys by pattern).
_DEEP_KEYS = {key: key for key in ("Ref", "Fn::Sub", "Fn::If", "Fn::FindInMap")} | {"Fn::ForEach": FUNCTION_FOR_EACH}


def _transforms(tree: dict[str, Any]) -> list[Any]:
    declared = tree.get("Transform", [])
    return declared if isinstance(declared, list) else [declared]


class _LazyDeepKeys(dict):
    """`transform_pre`: `Transform` and `Globals` at once, the deep-key searches when asked for."""

    def __init__(self, cfn: "LeanTemplate") -> None:
        super().__init__(Globals={}, Transform=list(_transforms(cfn.template)))
        self._cfn = cfn

    def __missing__(self, key: str) -> Any:
        if key not in _DEEP_KEYS:
            raise KeyError(key)
        value = self._cfn.search_deep_keys(_DEEP_KEYS[key])
        self[key] = value
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self or key in _DEEP_KEYS else default


class LeanTemplate(Template):
    """cfn-lint's `Template`, its costly members built on first use (see the module docstring)."""

    def __init__(
        self,
        filename: str | None,
        template: dict[str, Any],
        regions: list[str] | None = None,
        parameter_sets: list[Any] | None = None,
    ) -> None:
        # Deliberately not Template.__init__: that is the eager work this class exists to defer.
        self.regions = regions or [REGION_PRIMARY]
        self.filename = filename
        self.template = template
        self.yaml_aliases = list(getattr(template, "yaml_aliases", []))
        self._parameter_sets = parameter_sets
        self.transform_pre = _LazyDeepKeys(self)
        self.search_deep_keys = functools.lru_cache()(self.search_deep_keys)  # type: ignore[method-assign]

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set yet: the three cfn-lint builds eagerly.
        if name == "conditions":
            value: Any = Conditions(self)
        elif name == "graph":
            try:
                value = Graph(self)
            except Exception:  # noqa: BLE001 - as Template.__init__: a broken template has no graph
                value = None
        elif name == "context":
            value = create_context_for_template(self)
            if self._parameter_sets:
                value = value.evolve(parameter_sets=self._parameter_sets)
        else:
            raise AttributeError(name)
        self.__dict__[name] = value
        return value

    def transform(self) -> list[Any]:
        """What cfn-lint's `Transform` does (SAM Globals merge, then AWS::LanguageExtensions, which reads
        only the tree, regions and file name), without its eager rebuild at the end: graph, conditions
        and context are built from the transformed tree on first use."""
        names = _transforms(self.template)
        if TRANSFORM_SAM in names:
            merge_globals(self.template)
        self.transform_pre["Globals"] = self.template.get("Globals", {})
        if TRANSFORM_LANGUAGE_EXTENSION in names:
            matches, transformed = language_extension(self)
            if matches:
                return matches
            self.template = transformed
        for name in ("graph", "conditions", "context"):
            self.__dict__.pop(name, None)
        self._cache_clear()
        return []


class Config(ConfigMixIn):
    """cfn-lint's configuration from slens-lint's options alone.

    cfn-lint's own also reads `~/.cfnlintrc` and the project's `.cfnlintrc`: that is cfn-lint's
    configuration, and its `ignore_checks: [W]` would silently drop every slens-lint warning (ids match
    by prefix). slens-lint is configured by its own options and files; a template's
    `Metadata: cfn-lint: config` still applies (see `run`).
    """

    def _find_config(self) -> tuple[None, None]:
        # Not even looked for: cfn-lint's search calls Path.home(), which raises where HOME is unset
        # and the user has no passwd entry (some containers).
        return None, None

    def load(self) -> None:
        self.file_args = {}


def run(tree: dict[str, Any], config: Any, rules: Any, lean: bool = True) -> list[Any]:
    """cfn-lint's matches for a decoded template (what `run_template_by_data` yields, in order)."""
    config.set_template_args(_config_view(tree))
    unsupported = sorted(set(config.regions) - set(REGIONS))
    if unsupported:
        # As cfn-lint's runner; the engine passes its regions explicitly, which take precedence
        # over a template's `Metadata: cfn-lint: config: regions`.
        raise InvalidRegionException(f"unsupported region(s) {', '.join(map(str, unsupported))}", 32)
    cls = LeanTemplate if lean else Template
    cfn = cls(None, tree, regions=config.regions, parameter_sets=config.parameters)
    transform_matches = cfn.transform()
    if transform_matches:
        return list(transform_matches) if rules.is_rule_enabled(TransformError(), config) else []
    if cfn.template is None:
        return []
    matches = rules.run(filename=None, cfn=cfn, config=config)
    return list(dedup(check_directives(matches, cfn, config)))


def _config_view(tree: dict[str, Any]) -> dict[str, Any]:
    """What `set_template_args` reads (`Metadata: cfn-lint: config`), where it has the shape that code
    expects: it calls `.get` on each level and raises on a template whose `Metadata` is a list."""
    metadata = tree.get("Metadata")
    ours = metadata.get("cfn-lint") if isinstance(metadata, dict) else None
    config = ours.get("config") if isinstance(ours, dict) else None
    return {"Metadata": {"cfn-lint": {"config": config}}} if isinstance(config, dict) else {}


def check_directives(matches: Iterable[Any], cfn: Any, config: Any) -> Iterator[Any]:
    """Resource-level `Metadata: cfn-lint: config: ignore_checks`, exactly as cfn-lint's runner applies it."""
    directives = _directives(cfn.template)
    for match in matches:
        if match.rule.id not in directives:
            yield match
            continue
        if any(match.rule.id.startswith(mandatory) for mandatory in config.mandatory_checks):
            yield match
            continue
        path = getattr(match, "path", None)
        if path:
            if len(path) < 2 or path[0] != "Resources" or path[1] not in directives[match.rule.id]:
                yield match


def _directives(template: Any) -> dict[str, list[str]]:
    """`Template.get_directives`, for every shape: rule id -> resources whose `Metadata` ignores it.
    cfn-lint's own raises on a resource whose `Metadata` (or a level below) is not a mapping."""
    found: dict[str, list[str]] = {}
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return found
    for name, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") is None:
            continue
        metadata = resource.get("Metadata", {})
        ours = metadata.get("cfn-lint", {}) if isinstance(metadata, dict) else None
        config = ours.get("config", {}) if isinstance(ours, dict) else None
        checks = config.get("ignore_checks", []) if isinstance(config, dict) else None
        for rule_id in checks if isinstance(checks, (list, str)) else ():
            if isinstance(rule_id, str):
                found.setdefault(rule_id, []).append(name)
    return found


def dedup(matches: Iterable[Any]) -> Iterator[Any]:
    """First occurrence of each match, by the fields cfn-lint's `Match.__eq__` compares."""
    seen: set[tuple] = set()
    for match in matches:
        key = (
            match.rule.id,
            match.message,
            match.filename,
            match.linenumber,
            match.columnnumber,
            match.linenumberend,
            match.columnnumberend,
            match.parent_id,
            match.id,
        )
        if key in seen:
            continue
        seen.add(key)
        yield match
