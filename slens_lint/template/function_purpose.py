"""What some functions are for, when that changes which practices apply to them.

- Deploy-time functions run while CloudFormation deploys, not for the application's callers: the
  backends of custom resources (`ServiceToken`), of CloudFormation macros, and CodeDeploy traffic
  hooks (`DeploymentPreference.Hooks`). Aliases, traffic shifting, tracing, structured logs and error
  alarms are practices for request-serving code; rules leave these functions out.
- Lambda@Edge functions are replicated by CloudFront, which needs a numbered version (never an
  alias) and cannot run them in a VPC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from slens_lint.template import expressions

if TYPE_CHECKING:
    from slens_lint.template.model import Template

MACRO = "AWS::CloudFormation::Macro"
DISTRIBUTION = "AWS::CloudFront::Distribution"
VERSION = "AWS::Lambda::Version"


def _values_of_key(node: Any, key: str) -> Iterator[Any]:
    """Every value stored under `key` at any depth of a document (iterative: templates nest deeply)."""
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
        for preference in resource.props.value_of("DeploymentPreference").branches():
            for hooks in preference.Hooks.branches():
                for hook in (hooks.PreTraffic, hooks.PostTraffic):
                    for leaf in hook.branches():
                        found |= expressions.references(leaf.expr)
    return found


def deploy_time_functions(template: "Template") -> set[str]:
    """Logical ids of functions that back custom resources, macros or deployment hooks."""
    return template.memo("function_purpose.deploy_time", _deploy_time)


def _deploy_time(template: "Template") -> set[str]:
    found = set(template.custom_resource_backends)
    for macro in template.of_type(MACRO):
        for leaf in macro.props.value_of("FunctionName").branches():
            found |= expressions.references(leaf.expr)
    return found | deployment_hook_functions(template)


def edge_functions(template: "Template") -> set[str]:
    """Functions a CloudFront distribution associates with a cache behaviour (Lambda@Edge), named
    directly or through one of their `AWS::Lambda::Version` resources."""
    return template.memo("function_purpose.edge_functions", _edge_functions)


def _edge_functions(template: "Template") -> set[str]:
    named: set[str] = set()
    for distribution in template.of_type(DISTRIBUTION):
        # A distribution's config is a free-form document here: the ARN can sit in any cache behaviour.
        config = distribution.props.value_of("DistributionConfig").literal
        for arn in _values_of_key(config, "LambdaFunctionARN"):
            named |= expressions.references(arn)
    found: set[str] = set()
    for name in named:
        # SAM spells a function's published version `!Ref Function.Version`.
        logical_id = name.split(".", 1)[0]
        resource = template.resources.get(logical_id)
        if resource is None:
            continue
        if resource.type == VERSION:
            for leaf in resource.props.value_of("FunctionName").branches():
                found |= expressions.references(leaf.expr)
        else:
            found.add(logical_id)
    return found
