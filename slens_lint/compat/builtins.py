"""Runs the cfn-lint built-ins the Lens lists (`slens_lint.rules.builtin`) without cfn-lint's schema
validation of the whole template.

Those rules are cfn-lint "keyword" rules: children of E1101 that cfn-lint calls only while E1001 ->
E3001 -> E3002 validate every resource against its full JSON schema, whenever the walk reaches a node
whose path (`Resources/AWS::Lambda::Function/Properties/Runtime`) is one of the rule's keywords. That
walk costs several times a whole slens-lint run. Here one cfn-lint rule, `LensBuiltins`, makes the same
walk over only what the keywords can reach:

- only resources of the types the keywords name;
- each type's schema (the same provider schema E3002 uses, per region group) cut down to the
  properties the keywords lead into (`Runtime`, `SnapStart`), with its `definitions` for `$ref`;
- the same validator machinery and context as E3002 (conditions of the resource's `Condition`, all
  intrinsic functions allowed, the `cfnLint` keyword added at every node), with cfn-lint's real E1101
  dispatcher and its real `Fn::If` rule, so a keyword is reached inside `Fn::If` branches as cfn-lint
  reaches it; other functions are left unresolved, as in cfn-lint, where values resolved through `Ref`
  or `FindInMap` are reported under the function's rule (W1030...), never under these ids;
- errors become matches with E1001's own conversion (same path, same position).

The child rules are registered in the collection too, so cfn-lint's pipeline treats their matches as
its own: enabled checks, template `Metadata` `ignore_checks`, de-duplication. slens-lint's suppression
(both `Metadata` spellings) is applied by the engine, as for every finding.
tests/test_builtin_rules.py compares the findings with full cfn-lint's on the corpus and the fixtures.

With `--cfn-lint` the engine registers cfn-lint's whole rule set instead, which runs these rules through
the schema validation; it must not register these as well (duplicate ids, duplicate findings).
"""

from __future__ import annotations

import re
import traceback
from collections import deque
from typing import Any, Iterable, Iterator, Optional, Sequence

from slens_lint.compat.cfnlint import (
    FUNCTIONS,
    PROVIDER_SCHEMA_MANAGER,
    BaseJsonSchema,
    CfnLint,
    CfnTemplateValidator,
    CloudFormationLintRule,
    If,
    RefResolver,
    RuleMatch,
    ValidationError,
    is_function,
    load,
    load_resource,
    resource_schemas,
)

from slens_lint.rules.builtin import BuiltinRule

CARRIER_ID = "ISLBUILTINS"
"""Id of the rule that runs the built-ins; never reported (matches carry the built-in's own rule)."""

# Keys of a provider schema's top level the cut-down schema keeps: what `$ref` resolution needs and the
# object type; constraints (`required`, `additionalProperties`, ...) only make errors of other ids.
_SCHEMA_KEYS = ("$id", "$schema", "type", "definitions")


def load_rule(rule: type[BuiltinRule]) -> CloudFormationLintRule:
    """A fresh instance of the cfn-lint rule class `rule` names."""
    instance = load(rule.cfn_lint_class)()
    if instance.id != rule.id:
        raise ValueError(f"{rule.cfn_lint_class} has id {instance.id}, expected {rule.id}")
    return instance


def _keyword_targets(keyword: str) -> Optional[tuple[str, Optional[str]]]:
    """`Resources/<Type>/Properties[/<Prop>/...]` -> (type, top-level property or None).

    Other keywords are not reached by E3002's walk: `Globals/Function/Runtime` (which the runtime rules
    also list) is validated by E3724 with the keyword switched off, so cfn-lint 1.58 never dispatches it;
    the merged SAM function properties carry the Globals value instead.
    """
    parts = keyword.split("/")
    if len(parts) < 3 or parts[0] != "Resources" or parts[2] != "Properties":
        return None
    return parts[1], parts[3] if len(parts) > 3 else None


class LensBuiltins(CloudFormationLintRule):
    """Runs `rules` (cfn-lint keyword rules) on the resources their keywords name."""

    id = CARRIER_ID
    shortdesc = "slens-lint: cfn-lint built-ins of the Serverless Lens"
    description = "Runs the cfn-lint keyword rules slens-lint reports, without the full schema validation."
    source_url = "https://github.com/slens-lint/slens-lint/blob/main/rules/README.md"
    tags = ["slens-lint"]

    def __init__(self, rules: Sequence[CloudFormationLintRule]) -> None:
        super().__init__()
        self.rules = list(rules)
        # cfn-lint's E1101 dispatcher, with only our rules as children: it calls each rule whose keyword
        # equals the node's path, exactly as in a full run.
        self._dispatcher = CfnLint()
        self._dispatcher.child_rules = {r.id: r for r in self.rules}
        self._if = If()
        # cfn-lint's template validator with the two keywords that lead to these rules. Extending makes
        # a new validator class, so it is done once (E3002 does it per resource).
        self._validator_class = _reusing_extensions(
            CfnTemplateValidator({}).extend(validators={"cfnLint": self._dispatcher.cfnLint, "fn_if": self._if.fn_if})
        )
        self._properties: dict[str, set[str]] = {}
        for r in self.rules:
            for keyword in getattr(r, "keywords", ()):
                target = _keyword_targets(keyword)
                if target is not None:
                    wanted = self._properties.setdefault(target[0], set())
                    if target[1]:
                        wanted.add(target[1])
        self._schemas: dict[tuple[str, int], dict[str, Any]] = {}
        self._converter = BaseJsonSchema()
        # E3001 descends only into resources whose logical id matches its schema's patternProperties
        # (`^[a-zA-Z0-9]+$`): E3002, and so these rules, never see the others.
        e3001 = load_resource(resource_schemas, "configuration.json")
        self._names = [re.compile(p) for p in e3001.get("patternProperties", {})]

    def is_enabled(self, *args: Any, **kwargs: Any) -> bool:
        # Always run: whether each built-in is enabled (`ignore_checks`, include rules) is decided on its
        # own matches by cfn-lint's pipeline; ignoring `I` must not silence `E2531`.
        return True

    # ---- the walk -------------------------------------------------------------------------------

    def _schema(self, resource_type: str, schema: Any) -> dict[str, Any]:
        key = (resource_type, id(schema))
        cut = self._schemas.get(key)
        if cut is None:
            full = schema.schema
            cut = {k: full[k] for k in _SCHEMA_KEYS if k in full}
            properties = full.get("properties", {})
            cut["properties"] = {p: properties[p] for p in sorted(self._properties[resource_type]) if p in properties}
            self._schemas[key] = cut
        return cut

    def _resource_errors(self, validator: Any, resource_type: str, resource: dict) -> Iterator[ValidationError]:
        """What E3002 would yield for this resource, with the cut-down schema (same context set-up)."""
        resolved_conditions = {}
        if validator.is_type(resource.get("Condition"), "string"):
            resolved_conditions = {resource.get("Condition"): True}
        validator = validator.evolve(
            context=validator.context.evolve(
                functions=list(FUNCTIONS),
                strict_types=False,
                conditions=validator.context.conditions.evolve(resolved_conditions),
            ),
            function_filter=validator.function_filter.evolve(add_cfn_lint_keyword=True),
        )
        properties = resource.get("Properties") if "Properties" in resource else {}
        if not validator.is_type(properties, "object"):
            return
        fn_k, fn_v = is_function(properties)
        if fn_k == "Ref" and fn_v == "AWS::NoValue":
            return
        for regions, schema in PROVIDER_SCHEMA_MANAGER.get_resource_schemas_by_regions(
            resource_type, validator.context.regions
        ):
            cut = self._schema(resource_type, schema)
            context = validator.context.evolve(
                regions=regions,
                path=validator.context.path.evolve(cfn_path=deque(["Resources", resource_type, "Properties"])).descend(
                    path="Properties"
                ),
            )
            region_validator = validator.evolve(schema=cut, context=context, resolver=RefResolver.from_schema(cut))
            for err in region_validator.iter_errors(properties):
                err.path.appendleft("Properties")
                yield err

    def match(self, cfn: Any) -> list[RuleMatch]:
        template = cfn.template if isinstance(cfn.template, dict) else {}
        resources = template.get("Resources")
        if not isinstance(resources, dict) or not self.rules:
            return []
        keys = [k for k in template if k == "Resources"]
        resources_key = keys[0] if keys else "Resources"
        ours = {id(r) for r in self.rules}
        base: Any = None
        matches: list[RuleMatch] = []
        for name, resource in resources.items():
            if not isinstance(resource, dict):
                continue
            resource_type = resource.get("Type")
            if not isinstance(resource_type, str) or resource_type not in self._properties:
                continue
            if not isinstance(name, str) or not any(p.search(name) for p in self._names):
                continue
            try:
                if base is None:
                    # As E1001 builds it (template context), then descended to the resource as E1001
                    # and E3001 do. Built at the first resource to check: the context is not free.
                    base = self._validator_class(schema={}, cfn=cfn, context=cfn.context)
                validator = base.evolve(
                    context=base.context.evolve(
                        path=base.context.path.descend(path=resources_key, cfn_path="Resources").descend(
                            path=name, cfn_path="*"
                        )
                    )
                )
                errors = [e for e in self._resource_errors(validator, resource_type, resource) if id(e.rule) in ours]
            except Exception as exc:  # noqa: BLE001 - cfn-lint is third-party; one resource must not end the run
                matches.append(self._internal_error(name, resource_type, exc))
                continue
            for err in errors:
                err.path.extendleft([name, resources_key])
                # E1001's own conversion (a cfn-lint internal): same path, same position as a full run.
                for match in self._converter._convert_validation_errors_to_matches([], err):
                    # Suppression is the engine's (one place); it also asks the resource checked here,
                    # which is not always the one the finding names (E3505 names the queue).
                    match.slens_checked = name
                    matches.append(match)
        return matches

    def _internal_error(self, name: str, resource_type: str, exc: Exception) -> RuleMatch:
        rule = self.rules[0]
        for r in self.rules:
            if any(k.startswith(f"Resources/{resource_type}/") for k in getattr(r, "keywords", ())):
                rule = r
                break
        match = RuleMatch(
            ["Resources", name],
            f"internal error in cfn-lint built-in {rule.id} on '{name}': {type(exc).__name__}: {exc}",
            rule=rule,
        )
        match.slens_internal_error = traceback.format_exc()
        match.slens_rule = rule.id
        return match


def _reusing_extensions(validator_class: Any) -> Any:
    """`validator_class`, whose `extend` builds each distinct extension once.

    The schema-based built-ins (W3663, W3664) extend the validator for every resource they check, and
    each extension is a new class (a dataclass made at run time, about a millisecond): on a template of
    a thousand Lambda permissions that was most of the run. The same arguments make the same class (it
    holds no state of a resource: schema, context and resolver are per instance), so it is reused.
    """
    extend = validator_class.extend
    made: dict[Any, Any] = {}

    def reusing_extend(self: Any, validators: Any = None, function_filter: Any = None, fn_resolvers: Any = None) -> Any:
        effective_filter = function_filter if function_filter is not None else self.function_filter
        key = (
            type(self),
            tuple((validators or {}).items()),
            repr(effective_filter),  # a dataclass: its repr holds every field
            tuple((fn_resolvers or {}).items()),
        )
        extended = made.get(key)
        if extended is None:
            extended = made[key] = extend(self, validators=validators, function_filter=function_filter, fn_resolvers=fn_resolvers)
        return extended

    validator_class.extend = reusing_extend
    return validator_class


def lens_builtins(rules: Iterable[type[BuiltinRule]]) -> list[CloudFormationLintRule]:
    """The cfn-lint rules to register for `rules`: each built-in's own class, then the carrier that runs
    them. Empty when nothing is selected."""
    children = [load_rule(r) for r in rules]
    if not children:
        return []
    return [*children, LensBuiltins(children)]
