"""The one door to cfn-lint: every cfn-lint name slens-lint uses is imported here, and only here.

cfn-lint is a dependency with a public API (`cfnlint.api`, the rule base class) and many internals
slens-lint needs (its node types, the runner's pieces, the SAM Globals merge, the schema validator the
built-in rules run inside). Each internal is listed in `PRIVATE_NAMES`; tests/test_compat.py imports
each and fails with the symbol and the installed cfn-lint version when a release moves one. CI runs
the suite on the oldest supported cfn-lint (1.54) and on the newest.

Importing this module imports cfn-lint (about half a second): only the modules of `slens_lint.compat`
import it, and the engine imports those only when a template needs cfn-lint.
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
"""Internals: what a cfn-lint release may move without notice (each is pinned by a test). Optional
ones, read with `getattr` and a fallback: `cfn_yaml._find_aliases` (alias records, cfn-lint >= 1.55)."""

ATTRIBUTES: tuple[tuple[str, str, str], ...] = (
    ("cfnlint.template", "Template", "search_deep_keys"),
    ("cfnlint.template", "Template", "_cache_clear"),
    ("cfnlint.rules.jsonschema.Base", "BaseJsonSchema", "_convert_validation_errors_to_matches"),
    ("cfnlint.rules.jsonschema.CfnLint", "CfnLint", "cfnLint"),
    ("cfnlint.rules.functions.If", "If", "fn_if"),
    ("cfnlint.schema.manager", "PROVIDER_SCHEMA_MANAGER", "get_resource_schemas_by_regions"),
)
"""Private attributes of those names that slens-lint calls."""


def load(dotted: str):  # noqa: ANN201 - any cfn-lint class
    """A cfn-lint class by dotted path (the built-ins name their rule classes this way)."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


__all__ = [name for name in dir() if not name.startswith("_")]
