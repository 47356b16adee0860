"""What some functions are for, when that changes which practices apply to them.

- Deploy-time functions run while CloudFormation deploys, not for the application's callers: the
  backends of custom resources (`ServiceToken`), of CloudFormation macros, and CodeDeploy traffic
  hooks (`DeploymentPreference.Hooks`). Aliases and traffic shifting mean nothing for them.
- Lambda@Edge functions are replicated by CloudFront, which needs a numbered version (never an
  alias) and cannot run them in a VPC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from slens_lint.legacy import intrinsics

if TYPE_CHECKING:
    from slens_lint.legacy.model import Template

MACRO = "AWS::CloudFormation::Macro"
DISTRIBUTION = "AWS::CloudFront::Distribution"
VERSION = "AWS::Lambda::Version"


def _values_of_key(node: Any, key: str) -> Iterator[Any]:
    """Every value stored under `key` at any depth (iterative: templates can nest deeply)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for k, v in current.items():
                if k == key:
                    yield v
                stack.append(v)
        elif isinstance(current, list):
            stack.extend(current)


def deployment_hook_functions(template: "Template") -> set[str]:
    """Functions named as `PreTraffic` / `PostTraffic` hooks of a SAM `DeploymentPreference`."""
    found: set[str] = set()
    for resource in template.resources.values():
        for preference in intrinsics.iter_dicts(resource.raw_properties.get("DeploymentPreference")):
            for hooks in intrinsics.iter_dicts(preference.get("Hooks")):
                found |= intrinsics.references(hooks)
    return found


def deploy_time_functions(template: "Template") -> set[str]:
    """Logical ids of functions that back custom resources, macros or deployment hooks."""
    found = set(template.service_token_targets)
    for macro in template.of_type(MACRO):
        found |= intrinsics.references(macro.raw_properties.get("FunctionName"))
    return found | deployment_hook_functions(template)


def edge_functions(template: "Template") -> set[str]:
    """Functions a CloudFront distribution associates with a cache behaviour (Lambda@Edge), named
    directly or through one of their `AWS::Lambda::Version` resources."""
    return template.memo("function_purpose.edge_functions", _edge_functions)


def _edge_functions(template: "Template") -> set[str]:
    named: set[str] = set()
    for distribution in template.of_type(DISTRIBUTION):
        for arn in _values_of_key(distribution.raw_properties, "LambdaFunctionARN"):
            named |= intrinsics.references(arn)
    found: set[str] = set()
    for name in named:
        # SAM spells a function's published version `!Ref Function.Version`.
        logical_id = name.split(".", 1)[0]
        resource = template.resources.get(logical_id)
        if resource is None:
            continue
        if resource.type == VERSION:
            found |= intrinsics.references(resource.raw_properties.get("FunctionName"))
        else:
            found.add(logical_id)
    return found
