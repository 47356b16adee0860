from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis
from slens_lint.legacy.intrinsics import bool_branches
from slens_lint.legacy.model import Template


class ApiCacheWithoutEncryption(Rule):
    id = "SL404"
    severity = Severity.WARNING
    title = "API cache enabled without encryption"
    practice = "Performance efficiency 4: Optimize access patterns and cache where it fits"
    rationale = (
        "A REST API stage cache holds whole responses, often personal or business data, for the cache "
        "TTL. With `CachingEnabled` and no `CacheDataEncrypted: true`, those responses sit unencrypted "
        "in the cache cluster. Encryption costs nothing extra."
    )
    fix = "Set `CacheDataEncrypted: true` in every `MethodSettings` entry (or `StageDescription`) that enables caching."
    example = {
        "Resources": {
            "Api": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "CacheClusterEnabled": True,
                    "CacheClusterSize": "0.5",
                    "MethodSettings": [
                        {"HttpMethod": "*", "ResourcePath": "/*", "CachingEnabled": True, "CacheDataEncrypted": True}
                    ],
                },
            }
        }
    }
    use_instead = "If the cached responses are public data, suppress the finding on that API with that reason."
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html",
    )
    service = "apigateway"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

    def check(self, template: Template) -> Iterator[Violation]:
        for stage in apis.stages(template, apis.REST):
            # Method caching only happens on a stage with a cache cluster; unreadable means no finding.
            if bool_branches(stage.get("CacheClusterEnabled")) is not True:
                continue
            for entry in stage.method_settings() or []:
                if bool_branches(entry.get("CachingEnabled")) is not True:
                    continue
                if bool_branches(entry.get("CacheDataEncrypted")) is not False:
                    # Encrypted in some branch, or unreadable: the template may encrypt; no finding.
                    continue
                yield self.report(
                    template,
                    stage.resource,
                    f"API {stage.describe()} ('{stage.logical_id}') caches responses without encryption: "
                    f"cached data sits unencrypted in the cache cluster.",
                    at=(*entry.path, "CachingEnabled"),
                    fix="Encrypt the cache in the same MethodSettings entry:",
                    snippet={"CachingEnabled": True, "CacheDataEncrypted": True},
                )
