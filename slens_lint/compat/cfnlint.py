"""The one door to cfn-lint: every cfn-lint name slens-lint uses is imported here, and only here.

cfn-lint is a dependency with a public API (`cfnlint.api`, the rule base class) and many internals
slens-lint needs (its node types, the runner's pieces, the SAM Globals merge, the schema validator the
built-in rules run inside). The lists below declare each internal slens-lint relies on: the names
imported here (`PRIVATE_NAMES`), the attributes read or called on what cfn-lint hands back
(`ATTRIBUTES`), the methods overridden (`OVERRIDDEN`), the keyword arguments passed (`PARAMETERS`),
and the data files read (`DATA_FILES`). tests/test_compat.py checks each against the installed cfn-lint
and fails with the symbol and the version when a release moves one. CI runs the suite on the oldest
supported cfn-lint (1.54) and on the newest.

Importing this module imports cfn-lint (about half a second): only the modules of `slens_lint.compat`
import it, and the engine imports those only when a template needs cfn-lint. The one data file the
rules read, the runtime lifecycle, is therefore read by `slens_lint.template.runtimes` without importing
cfn-lint (see `DATA_FILES`).
"""

from __future__ import annotations

import importlib
from importlib.metadata import version as _version

import cfnlint.data.schemas.other.resources as resource_schemas
from cfnlint.conditions import Conditions
from cfnlint.config import _DEFAULT_RULESDIR as DEFAULT_RULESDIR
from cfnlint.config import ConfigMixIn
from cfnlint.context import create_context_for_template
from cfnlint.decode import cfn_yaml
from cfnlint.decode.mark import Mark
from cfnlint.decode.node import dict_node, list_node, str_node
from cfnlint.exceptions import InvalidRegionException
from cfnlint.graph import Graph
from cfnlint.helpers import (
    FUNCTION_FOR_EACH,
    FUNCTIONS,
    REGION_PRIMARY,
    REGIONS,
    TRANSFORM_LANGUAGE_EXTENSION,
    TRANSFORM_SAM,
    is_function,
    load_resource,
)
from cfnlint.jsonschema import CfnTemplateValidator, ValidationError
from cfnlint.rules import CloudFormationLintRule, RuleMatch, Rules
from cfnlint.rules.errors import TransformError
from cfnlint.rules.functions.If import If
from cfnlint.rules.jsonschema.Base import BaseJsonSchema
from cfnlint.rules.jsonschema.CfnLint import CfnLint
from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER
from cfnlint.schema.resolver import RefResolver
from cfnlint.template import Template
from cfnlint.template.transforms._language_extensions import language_extension
from cfnlint.template.transforms._sam_globals import merge_globals

VERSION = _version("cfn-lint")
OLDEST_SUPPORTED = "1.54.0"

PUBLIC_NAMES: tuple[tuple[str, str], ...] = (
    ("cfnlint.rules", "CloudFormationLintRule"),
    ("cfnlint.rules", "RuleMatch"),
    ("cfnlint.rules", "Rules"),
    ("cfnlint.template", "Template"),
)
"""Names cfn-lint documents or its rule authors rely on."""

PRIVATE_NAMES: tuple[tuple[str, str], ...] = (
    ("cfnlint.config", "_DEFAULT_RULESDIR"),
    ("cfnlint.config", "ConfigMixIn"),
    ("cfnlint.conditions", "Conditions"),
    ("cfnlint.context", "create_context_for_template"),
    ("cfnlint.decode", "cfn_yaml"),
    ("cfnlint.decode.mark", "Mark"),
    ("cfnlint.decode.node", "dict_node"),
    ("cfnlint.decode.node", "list_node"),
    ("cfnlint.decode.node", "str_node"),
    ("cfnlint.exceptions", "InvalidRegionException"),
    ("cfnlint.graph", "Graph"),
    ("cfnlint.helpers", "FUNCTION_FOR_EACH"),
    ("cfnlint.helpers", "FUNCTIONS"),
    ("cfnlint.helpers", "REGION_PRIMARY"),
    ("cfnlint.helpers", "REGIONS"),
    ("cfnlint.helpers", "TRANSFORM_LANGUAGE_EXTENSION"),
    ("cfnlint.helpers", "TRANSFORM_SAM"),
    ("cfnlint.helpers", "is_function"),
    ("cfnlint.helpers", "load_resource"),
    ("cfnlint.jsonschema", "CfnTemplateValidator"),
    ("cfnlint.jsonschema", "ValidationError"),
    ("cfnlint.rules.errors", "TransformError"),
    ("cfnlint.rules.functions.If", "If"),
    ("cfnlint.rules.jsonschema.Base", "BaseJsonSchema"),
    ("cfnlint.rules.jsonschema.CfnLint", "CfnLint"),
    ("cfnlint.schema.manager", "PROVIDER_SCHEMA_MANAGER"),
    ("cfnlint.schema.resolver", "RefResolver"),
    ("cfnlint.template.transforms._language_extensions", "language_extension"),
    ("cfnlint.template.transforms._sam_globals", "merge_globals"),
    ("cfnlint.data.schemas.other", "resources"),
)
"""Internals: what a cfn-lint release may move without notice (each is pinned by a test)."""

ATTRIBUTES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("cfnlint.config", "ConfigMixIn", ("set_template_args", "file_args", "mandatory_checks", "regions", "parameters")),
    ("cfnlint.config", "ManualArgs", ("regions", "include_checks", "configure_rules")),
    ("cfnlint.rules", "Rules", ("create_from_directory", "register", "is_rule_enabled", "run")),
    ("cfnlint.rules", "CloudFormationLintRule", ("id", "child_rules", "configure", "config", "config_definition")),
    ("cfnlint.match", "Match", ("rule", "message", "filename", "linenumber", "columnnumber", "linenumberend", "columnnumberend", "id", "parent_id")),
    ("cfnlint.template", "Template", ("transform", "transform_pre", "search_deep_keys", "_cache_clear")),
    ("cfnlint.rules.jsonschema.Base", "BaseJsonSchema", ("_convert_validation_errors_to_matches",)),
    ("cfnlint.rules.jsonschema.CfnLint", "CfnLint", ("cfnLint",)),
    ("cfnlint.rules.functions.If", "If", ("fn_if",)),
    ("cfnlint.jsonschema", "CfnTemplateValidator", ("extend", "evolve", "is_type", "iter_errors", "context", "function_filter")),
    ("cfnlint.jsonschema", "ValidationError", ("path", "rule")),
    ("cfnlint.jsonschema._filter", "FunctionFilter", ("evolve",)),
    ("cfnlint.context", "Context", ("evolve", "conditions", "path", "regions")),
    ("cfnlint.context", "Path", ("evolve", "descend")),
    ("cfnlint.context.conditions", "Conditions", ("evolve",)),
    ("cfnlint.schema.manager", "PROVIDER_SCHEMA_MANAGER", ("get_resource_schemas_by_regions",)),
    ("cfnlint.schema", "Schema", ("schema",)),
    ("cfnlint.schema.resolver", "RefResolver", ("from_schema",)),
)
"""Attributes slens-lint reads or calls (methods, properties, fields, instance attributes), by owner. Most
owners are reached through objects cfn-lint hands back (a validator's `context`, its `path`, the
matches `Rules.run` yields), so they are named where cfn-lint defines or exports them. Optional ones,
read with `getattr` and a fallback, are in `OPTIONAL`."""

OVERRIDDEN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # compat/runner.py `Config`: a rename would silently bring back the ~/.cfnlintrc lookup.
    ("cfnlint.config", "ConfigMixIn", ("_find_config", "load")),
    # compat/adapter.py's `SlensCfnRule`, compat/builtins.py's `LensBuiltins`: renamed, cfn-lint would call
    # the base's instead (no matches; the carrier off whenever `I` checks are ignored).
    ("cfnlint.rules", "CloudFormationLintRule", ("match", "is_enabled")),
)
"""Methods slens-lint's subclasses override: renamed in cfn-lint, the override would silently stop
applying. (`LeanTemplate` skips `Template.__init__`: tests/test_compat_runner.py checks it sets what that
sets.)"""

PARAMETERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("cfnlint.template", "Template", "__init__", ("regions", "parameter_sets")),
    ("cfnlint.rules", "Rules", "run", ("filename", "cfn", "config")),
    ("cfnlint.jsonschema", "CfnTemplateValidator", "__init__", ("schema", "cfn", "context")),
    ("cfnlint.jsonschema", "CfnTemplateValidator", "evolve", ("context", "function_filter", "schema", "resolver")),
    ("cfnlint.jsonschema", "CfnTemplateValidator", "extend", ("validators", "function_filter", "fn_resolvers")),
    ("cfnlint.jsonschema._filter", "FunctionFilter", "evolve", ("add_cfn_lint_keyword",)),
    ("cfnlint.context", "Context", "evolve", ("parameter_sets", "functions", "strict_types", "conditions", "regions", "path")),
    ("cfnlint.context", "Path", "evolve", ("cfn_path",)),
    ("cfnlint.context", "Path", "descend", ("path", "cfn_path")),
)
"""Keyword arguments slens-lint passes, by callable. cfn-lint's `evolve`/`descend` take `**kwargs` and
build the dataclass from them: there a keyword is one of the dataclass's fields."""

OPTIONAL: tuple[tuple[str, str, str, str], ...] = (
    # compat/convert.py: YAML alias records, which cfn-lint's alias rule reads.
    ("cfnlint.decode", "cfn_yaml", "_find_aliases", "1.55.0"),
)
"""Attributes read with `getattr` and a fallback, with the cfn-lint release that has them: from that
release on they are pinned like `ATTRIBUTES` (else the fallback would silently drop what they give)."""

DATA_FILES: tuple[str, ...] = (
    # Read by slens_lint/template/runtimes.py, not through this module: the runtime rules judge from it,
    # and rules may not import `slens_lint.compat` (pyproject.toml's import contracts) nor start cfn-lint.
    "data/AdditionalSpecs/LmbdRuntimeLifecycle.json",
    # Read through `load_resource` by compat/builtins.py: E3001's logical-id patterns.
    "data/schemas/other/resources/configuration.json",
)
"""cfn-lint's data files slens-lint reads, relative to the `cfnlint` package."""


def load(dotted: str):  # noqa: ANN201 - any cfn-lint class
    """A cfn-lint class by dotted path (the built-ins name their rule classes this way; tests/test_compat.py
    pins each)."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


__all__ = [name for name in dir() if not name.startswith("_")]
