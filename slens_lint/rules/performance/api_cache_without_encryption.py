from __future__ import annotations

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.template import apis
from slens_lint.template.apis import ApiStage
from slens_lint.template.model import Template


class ApiCacheWithoutEncryption(Rule):
    id = "SL404"
    severity = Severity.WARNING
    severity_reason = "warning: cached responses may hold personal data, stored unencrypted."
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

    subject = "API stage"

    def subjects(self, template: Template) -> list[ApiStage]:
        return apis.stages(template, apis.REST)

    def judge(self, stage: ApiStage, template: Template) -> list[Verdict]:
        # Method caching only happens on a stage with a cache cluster.
        cluster = stage.setting("CacheClusterEnabled").is_true()
        verdicts = []
        for entry in stage.method_settings():
            caching = entry.get("CachingEnabled").is_true()
            if caching.never:
                continue
            encrypted = apis.settle(~(cluster & caching) | entry.get("CacheDataEncrypted").is_true())
            verdicts.append(
                self.expect(
                    stage,
                    encrypted,
                    f"{stage_subject(stage, ', which')} caches responses without encryption: "
                    f"cached data sits unencrypted in the cache cluster.",
                    at=entry.get("CachingEnabled"),
                    fix="Encrypt the cache in the same MethodSettings entry:",
                    snippet={"CachingEnabled": True, "CacheDataEncrypted": True},
                )
            )
        return verdicts or [self.met(stage)]
