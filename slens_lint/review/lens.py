"""The Serverless Lens map, in one place: the questions as the Well-Architected Tool asks them, their
best practices (choices), how a template shows each one (the rules whose verdicts are its evidence, or,
for a practice no template can show, what would show it) and the risk rules, in the Tool's style.

Every rule, the cfn-lint built-ins included, gives evidence for exactly one choice, and a rule's
`practice` is one of its choice's practices (tests/test_review_lens.py). A new rule is added to its
choice's `rules` here.

Risk rules: the first whose condition holds gives the risk. The pattern is the Tool's: a question is
high risk when the Lens's required practice is not followed, medium when another one is not, none when
all are. A choice counts as followed when it is met, accepted (every gap suppressed with a reason), not
applicable, or not visible from templates (the review cannot see it: confirm it in the Tool).
"""

from __future__ import annotations

from slens_lint.review.schema import Choice, Lens, Link, Question, Risk, RiskRule
from slens_lint.findings import Pillar

LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg/"
APIGW = "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
QUESTION_PAGE = "https://wa.aws.amazon.com/serv.question.{}.en.html"


def _rules(no: str, medium: str, why: str) -> tuple[tuple[RiskRule, ...], str]:
    return (RiskRule(no, Risk.NONE), RiskRule(medium, Risk.MEDIUM), RiskRule("default", Risk.HIGH)), why


def _question(qid: str, label: str, pillar: Pillar, title: str, description: str, choices: tuple[Choice, ...], risk) -> Question:
    rules, why = risk
    page = QUESTION_PAGE.format(label.replace(" ", "_"))
    return Question(qid, label, pillar, title, description, Link(f"{label} in the Serverless Lens", page), choices, rules, why)


def _all(*ids: str) -> str:
    return " && ".join(ids)


PRACTICES = {
    Pillar.OPERATIONAL_EXCELLENCE: (
        "Understand, analyze and alert on the metrics you get for free",
        "Distributed tracing, with context added in code",
        "Structured, centralized logging",
        "Application, business and operations metrics",
        "Lambda Extensions / Lambda Insights",
        "Code and infrastructure separated into environments and stages",
        "Ephemeral environments to prototype new features",
        "Rollout deployment mechanisms",
        "Configuration management",
        "Review the function runtime deprecation policy",
    ),
    Pillar.SECURITY: (
        "Protect API access with the right endpoint type and mechanism",
        "Authentication and authorization",
        "Scope access by identity metadata",
        "Evaluate and define resource policies",
        "Temporary credentials between resources and components",
        "Control network traffic at all layers",
        "Compact, single-purpose functions",
        "Review security awareness documents frequently",
        "Store secrets used in code securely",
        "Runtime protection against malicious code",
        "Automatically review the workload's dependencies and libraries",
        "Validate inbound events",
    ),
    Pillar.RELIABILITY: (
        "Throttle the inbound request rate",
        "Use, analyze and enforce API quotas",
        "Protect resources that do not scale",
        "Handle transactional, partial and intermittent failures",
        "Handle duplicate and unwanted events",
        "Orchestrate long-running transactions",
        "Consider scaling patterns at burst rates",
    ),
    Pillar.PERFORMANCE: (
        "Measure, evaluate and choose the optimal capacity unit",
        "Measure and optimize function start-up time",
        "Use concurrency through asynchronous and stream-based invocation",
        "Optimize access patterns and cache where it fits",
        "Integrate directly with managed services where possible",
    ),
    Pillar.COST: (
        "Minimize external calls and function initialization code",
        "Optimize logging output and its retention",
        "Optimize function configuration to reduce cost",
        "Use cost-aware patterns in code",
    ),
}

OPS1 = _question(
    "ops1_health", "OPS 1", Pillar.OPERATIONAL_EXCELLENCE,
    "How do you evaluate your serverless application's health?",
    "Metrics, alarms, distributed tracing and structured logs tell you when the workload is unhealthy and why.",
    (
        Choice("ops1_alarms", "Understand, analyze, and alert on metrics provided out of the box", (1,),
               "Every function has a CloudWatch alarm on its Errors or Throttles metric (SL114).",
               Link("Lambda function metrics", LAMBDA + "monitoring-metrics-types.html"),
               "Add CloudWatch alarms on the Errors and Throttles metrics of each function (and on API 5XXError, queue age), with an action that reaches the team.",
               ("SL114",)),
        Choice("ops1_app_metrics", "Use application, business, and operations metrics", (4, 5),
               "Not visible from templates: metrics are emitted by code. What would show it: Embedded Metric Format or Powertools Metrics in the code, a POWERTOOLS_METRICS_NAMESPACE variable, the Lambda Insights layer, dashboards on custom metrics.",
               Link("CloudWatch Embedded Metric Format", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html"),
               "Identify the business outcomes of each transaction and emit them as custom metrics asynchronously (Embedded Metric Format); alarm on them."),
        Choice("ops1_tracing", "Use distributed tracing and code is instrumented with additional context", (2,),
               "Functions have active X-Ray tracing (SL107), REST API stages tracing enabled (SL108), state machines tracing enabled (SL109).",
               Link("Visualize Lambda invocations with X-Ray", LAMBDA + "services-xray.html"),
               "Turn on active tracing on functions (Tracing: Active), REST API stages (TracingEnabled) and state machines, and add business context to the traces in code.",
               ("SL107", "SL108", "SL109")),
        Choice("ops1_logging", "Use structured and centralized logging", (3,),
               "API stages have access logs (SL110) in JSON (SL111), functions log JSON (SL112), state machines log executions (SL113).",
               Link("Lambda advanced logging controls", LAMBDA + "monitoring-cloudwatchlogs-advanced.html"),
               "Log JSON with the request context: LoggingConfig.LogFormat JSON or Powertools Logger on functions, JSON access logs on API stages, execution logging on state machines.",
               ("SL110", "SL111", "SL112", "SL113")),
    ),
    _rules(_all("ops1_alarms", "ops1_app_metrics", "ops1_tracing", "ops1_logging"),
           "ops1_alarms || (ops1_tracing && ops1_logging)",
           "High when nothing alerts on the metrics Lambda publishes for free and the workload is not both traced and logged in a structured way: failures go unnoticed and cannot be diagnosed."),
)

OPS2 = _question(
    "ops2_lifecycle", "OPS 2", Pillar.OPERATIONAL_EXCELLENCE,
    "How do you approach application lifecycle management?",
    "Infrastructure as code, isolated stages, gradual rollouts and supported runtimes let you release often and safely.",
    (
        Choice("ops2_iac_stages", "Use infrastructure as code and stages isolated in separate environments", (6,),
               "Not visible from templates: a template is infrastructure as code, but whether stages are isolated depends on how it is deployed. What would show it: one stack per stage or account (samconfig environments, pipeline stages), stage names and environment values from Parameters.",
               Link("AWS SAM deployment", "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-deploying.html"),
               "Deploy every stage from the same template into its own stack, ideally its own account, with stage-specific values passed as parameters."),
        Choice("ops2_temporary_envs", "Prototype new features using temporary environments", (7,),
               "Not visible from templates. What would show it: a pipeline or sam sync workflow that creates and deletes a stack per branch.",
               Link("AWS SAM sync", "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/using-sam-cli-sync.html"),
               "Give each feature branch a short-lived stack of its own (sam sync, or a pipeline stage), and delete it when the branch is merged."),
        Choice("ops2_rollout", "Use a rollout deployment mechanism", (8,),
               "Functions publish an alias (SL102) with a gradual DeploymentPreference (SL101, SL103) watched by alarms (SL104); REST API stages use canary releases (SL105) that send some traffic (SL106).",
               Link("Deploying serverless applications gradually", "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html"),
               "Publish an alias (AutoPublishAlias) and shift traffic gradually with a DeploymentPreference (Canary or Linear) watched by CloudWatch alarms that roll back; use canary releases on REST API stages.",
               ("SL101", "SL102", "SL103", "SL104", "SL105", "SL106")),
        Choice("ops2_cicd", "Use CI/CD including automated testing across separate accounts", (),
               "Not visible from templates. What would show it: a pipeline definition that tests and promotes the same artefact through accounts.",
               Link("Deploying with CI/CD systems", "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/deploying-cicd-overview.html"),
               "Build once and promote the same artefact through test and production accounts with automated tests at each step."),
        Choice("ops2_config_mgmt", "Use configuration management", (9,),
               "Not visible from templates: configuration is read by code. What would show it: AWS AppConfig resources with a deployment strategy and alarms, Parameter Store or Secrets Manager references fetched at init and cached.",
               Link("AWS AppConfig", "https://docs.aws.amazon.com/appconfig/latest/userguide/what-is-appconfig.html"),
               "Keep configuration out of the code: AWS AppConfig with a deployment strategy and rollback alarms, or Parameter Store values cached with a TTL."),
        Choice("ops2_runtime_policy", "Review the function runtime deprecation policy", (10,),
               "No function runs on a runtime Lambda has deprecated (W2531) or blocks creating (E2531) or updating (E2533).",
               Link("Lambda runtime deprecation policy", LAMBDA + "lambda-runtimes.html#runtime-support-policy"),
               "Move each function to a supported runtime before its deprecation date, and review the runtime dates on every release.",
               ("E2531", "E2533", "W2531")),
    ),
    _rules(_all("ops2_iac_stages", "ops2_temporary_envs", "ops2_rollout", "ops2_cicd", "ops2_config_mgmt", "ops2_runtime_policy"),
           "ops2_iac_stages && ops2_runtime_policy",
           "High when a function runs on a deprecated runtime (no security patches; deployments that create or update it are or will be blocked) or stages are not isolated; medium when another practice, such as gradual deployment, is missing."),
)

SEC1 = _question(
    "sec1_api_access", "SEC 1", Pillar.SECURITY,
    "How do you control access to your serverless API?",
    "The endpoint type, authentication and authorization, and scoping by identity keep unauthorized callers out of the API.",
    (
        Choice("sec1_endpoint", "Use appropriate endpoint type and mechanisms to secure your API", (1,),
               "Private REST APIs have a resource policy (SL208).",
               Link("API Gateway endpoint types", APIGW + "api-gateway-api-endpoint-types.html"),
               "Choose the endpoint type for your consumers (edge, regional, private) and secure it: a resource policy on private APIs, WAF on public ones.",
               ("SL208",)),
        Choice("sec1_authn_authz", "Use authentication and authorization mechanisms", (2,),
               "Every API route and function URL has an authorizer unless deliberately public (SL206); mutual-TLS APIs disable the default endpoint (SL207).",
               Link("Controlling access to a REST API", APIGW + "apigateway-control-access-to-api.html"),
               "Put an authorizer (IAM, Cognito, Lambda or JWT) on every route that is not public on purpose; with mutual TLS, disable the default execute-api endpoint.",
               ("SL206", "SL207")),
        Choice("sec1_identity_scope", "Scope access based on identity's metadata", (3,),
               "Not visible from templates: authorization logic lives in authorizers and code. What would show it: AuthorizationScopes on routes, authorizer code that reads claims, groups or tenants.",
               Link("Lambda authorizers", APIGW + "apigateway-use-lambda-authorizer.html"),
               "Group consumers by the claims, scopes or groups of their identity and authorize each request on them."),
    ),
    _rules(_all("sec1_endpoint", "sec1_authn_authz", "sec1_identity_scope"), "sec1_authn_authz",
           "High when some route or function URL accepts calls without authentication or authorization: anyone who finds it can call it."),
)

SEC2 = _question(
    "sec2_boundaries", "SEC 2", Pillar.SECURITY,
    "How do you manage your serverless application's security boundaries?",
    "Resource policies, temporary credentials, network controls and least-privilege, single-purpose functions isolate components.",
    (
        Choice("sec2_resource_policies", "Evaluate and define resource policies", (4,),
               "Lambda permissions for a service name the source resource (SL209) and its account where the ARN holds none (W3663), with the source's own service as principal (W3664).",
               Link("Resource-based policies in Lambda", LAMBDA + "access-control-resource-based.html"),
               "Give every permission that lets a service invoke a function a SourceArn (and SourceAccount for S3), and restrict APIs with resource policies where needed.",
               ("SL209", "W3663", "W3664")),
        Choice("sec2_temporary_credentials", "Use temporary credentials between resources and components", (5,),
               "Not visible from templates yet (no rule checks it). What would show it: no AWS::IAM::AccessKey and no access keys in environment variables; every function and resource acting through its execution role.",
               Link("Lambda execution role", LAMBDA + "lambda-intro-execution-role.html"),
               "Let components call each other with the temporary credentials of their execution roles; remove long-lived access keys."),
        Choice("sec2_network", "Control network traffic at all layers", (6,),
               "VPC functions name subnets and security groups (SL202) and may manage network interfaces (SL204); with SL205 enabled, functions are attached to a VPC.",
               Link("Lambda functions in a VPC", LAMBDA + "configuration-vpc.html"),
               "Attach functions that reach private resources to a VPC with subnets and security groups, and reach AWS services through VPC endpoints.",
               ("SL202", "SL204", "SL205")),
        Choice("sec2_small_functions", "Design smaller, single purpose functions", (7,),
               "Function roles grant no wildcard actions or full-access managed policies (SL210).",
               Link("Grant least privilege", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"),
               "Give each function one purpose and a role with only the actions and resources it uses (SAM policy templates help).",
               ("SL210",)),
    ),
    _rules(_all("sec2_resource_policies", "sec2_temporary_credentials", "sec2_network", "sec2_small_functions"),
           "sec2_resource_policies && sec2_small_functions",
           "High when a resource policy lets any resource of a service invoke a function, or a function's role grants wildcard actions: a confused or compromised caller reaches beyond its boundary."),
)

SEC3 = _question(
    "sec3_app_security", "SEC 3", Pillar.SECURITY,
    "How do you implement application security in your workload?",
    "Secrets kept out of code and logs, validated input, reviewed dependencies and runtime protection reduce the attack surface.",
    (
        Choice("sec3_security_awareness", "Review security awareness documents frequently", (8,),
               "Not visible from templates: a team habit. What would show it: subscriptions to security bulletins, a review calendar.",
               Link("AWS security bulletins", "https://aws.amazon.com/security/security-bulletins/"),
               "Subscribe to the security bulletins and CVE feeds of the technologies you use and review them regularly."),
        Choice("sec3_secrets", "Store secrets that are used in your code securely", (9,),
               "No hard-coded secret in function environment variables (SL211); secret parameters are NoEcho without a Default (SL212); REST stages do not log full requests (SL213).",
               Link("AWS Secrets Manager", "https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html"),
               "Keep secrets in Secrets Manager or SecureString parameters (dynamic references), rotate them, and keep them out of environment variables and logs.",
               ("SL211", "SL212", "SL213")),
        Choice("sec3_runtime_protection", "Implement runtime protection to help prevent against malicious code execution", (10,),
               "Not visible from templates. What would show it: GuardDuty Lambda protection, a runtime security layer or extension.",
               Link("GuardDuty Lambda protection", "https://docs.aws.amazon.com/guardduty/latest/ug/lambda-protection.html"),
               "Monitor function behaviour at run time (GuardDuty Lambda protection) and restrict what functions may do: child processes, network, file system."),
        Choice("sec3_dependencies", "Automatically review workload's code dependencies/libraries", (11,),
               "Not visible from templates. What would show it: dependency scanning in the pipeline (Amazon Inspector, Dependabot), Lambda code signing (CodeSigningConfigArn).",
               Link("Amazon Inspector Lambda scanning", "https://docs.aws.amazon.com/inspector/latest/user/scanning-lambda.html"),
               "Scan code and dependencies on every build and in production (Amazon Inspector), and sign code (Lambda code signing)."),
        Choice("sec3_validate_events", "Validate inbound events", (12,),
               "REST API methods that take a body validate it against a model (SL201).",
               Link("Request validation in API Gateway", APIGW + "api-gateway-method-request-validation.html"),
               "Validate request bodies and parameters at the API (request validators and models) and every event against its schema in code.",
               ("SL201",)),
    ),
    _rules(_all("sec3_security_awareness", "sec3_secrets", "sec3_runtime_protection", "sec3_dependencies", "sec3_validate_events"),
           "sec3_secrets",
           "High when a secret sits in clear text in the template or in the logs: anyone who can read the stack or the logs has it."),
)

REL1 = _question(
    "rel1_request_rates", "REL 1", Pillar.RELIABILITY,
    "How do you regulate inbound request rates?",
    "Throttling, quotas and buffers keep bursts from overwhelming the workload and what it depends on.",
    (
        Choice("rel1_throttling", "Use throttling to control inbound request rates", (1,),
               "API stages have default rate and burst limits (SL301).",
               Link("Throttle API requests", APIGW + "api-gateway-request-throttling.html"),
               "Set stage-level rate and burst limits (MethodSettings on /*/* for REST APIs, DefaultRouteSettings on HTTP APIs) at what the backend sustains.",
               ("SL301",)),
        Choice("rel1_quotas", "Use, analyze, and enforce API quotas", (2,),
               "APIs that require keys have a usage plan (SL302) with a quota or a throttle (SL303).",
               Link("Usage plans and API keys", APIGW + "api-gateway-api-usage-plans.html"),
               "Segregate consumers into usage plans with API keys, each with a throttle and a quota, and review their use.",
               ("SL302", "SL303")),
        Choice("rel1_protect_nonscalable", "Use mechanisms to protect non-scalable resources", (3,),
               "Queue-fed VPC functions have a concurrency limit (SL312).",
               Link("Lambda concurrency", LAMBDA + "configuration-concurrency.html"),
               "Put a queue in front of resources that do not scale and limit the consumer's concurrency (ScalingConfig.MaximumConcurrency or reserved concurrency).",
               ("SL312",)),
    ),
    _rules(_all("rel1_throttling", "rel1_quotas", "rel1_protect_nonscalable"), "rel1_throttling",
           "High when an API has no default throttling: a burst or a runaway client reaches the functions and everything behind them at full speed."),
)

REL2 = _question(
    "rel2_resiliency", "REL 2", Pillar.RELIABILITY,
    "How do you build resiliency into your serverless application?",
    "Failure destinations, bounded retries, idempotency and orchestration let the workload withstand partial and intermittent failures.",
    (
        Choice("rel2_failures", "Manage transaction, partial, and intermittent failures", (4,),
               "Asynchronously invoked functions (SL305), stream sources (SL306), queues (SL307), SNS subscriptions (SL308) and EventBridge targets (SL309) keep failed events; queue timeouts fit their consumers (SL310); SQS sources report partial batch failures (SL311).",
               Link("Lambda retries and error handling", LAMBDA + "invocation-retries.html"),
               "Give every asynchronous path a dead-letter queue or on-failure destination, bound retries on streams, size queue visibility timeouts to the consumer, and report partial batch failures.",
               ("SL305", "SL306", "SL307", "SL308", "SL309", "SL310", "SL311")),
        Choice("rel2_duplicates", "Manage duplicate and unwanted events", (5,),
               "Not visible from templates: idempotency is code. What would show it: an idempotency table and Powertools Idempotency, FilterCriteria on event sources.",
               Link("Making retries safe with idempotent APIs", "https://aws.amazon.com/builders-library/making-retries-safe-with-idempotent-apis/"),
               "Make handlers idempotent (a unique key stored per transaction) and filter unwanted events at the source."),
        Choice("rel2_orchestrate", "Orchestrate long-running transactions", (6,),
               "Not visible from templates: a state machine in the template shows orchestration exists, not whether a long workflow is coded inside a function. What would show it: Step Functions with retries and timeouts per state.",
               Link("AWS Step Functions", "https://docs.aws.amazon.com/step-functions/latest/dg/welcome.html"),
               "Move multi-step workflows out of functions into Step Functions with retries, back-off and timeouts per state."),
        Choice("rel2_burst", "Consider scaling patterns at burst rates", (7,),
               "VPC functions span several Availability Zones (SL304).",
               Link("Lambda scaling behavior", LAMBDA + "scaling-behavior.html"),
               "Load test with bursts, review account and service quotas, and spread VPC functions over several Availability Zones.",
               ("SL304",)),
    ),
    _rules(_all("rel2_failures", "rel2_duplicates", "rel2_orchestrate", "rel2_burst"), "rel2_failures",
           "High when failed asynchronous, stream or queue events are lost or retried without bound."),
)

PERF1 = _question(
    "perf1_performance", "PERF 1", Pillar.PERFORMANCE,
    "How do you optimize your serverless application's performance?",
    "Measured capacity, short start-up, asynchronous invocation, caching and direct integrations make the workload fast and efficient.",
    (
        Choice("perf1_capacity", "Measure, evaluate, and select optimal capacity units", (1,),
               "Functions set MemorySize (SL401) and Timeout (SL402), API-integrated functions time out within 29 seconds (SL403), queues hide messages longer than their consumer runs (E3505).",
               Link("Lambda memory", LAMBDA + "configuration-memory.html"),
               "Measure each function (Lambda Power Tuning) and set MemorySize and Timeout to what the work needs; keep API-facing timeouts under the integration timeout.",
               ("SL401", "SL402", "SL403", "E3505")),
        Choice("perf1_startup", "Measure and optimize function startup time", (2,),
               "Functions with SnapStart publish versions (W2530).",
               Link("Lambda SnapStart", LAMBDA + "snapstart.html"),
               "Measure cold starts (Init Duration), trim initialization code and packages, and use SnapStart with published versions or provisioned concurrency where it pays.",
               ("W2530",)),
        Choice("perf1_async", "Take advantage of concurrency via async and stream-based function invocations", (3,),
               "Not visible from templates: whether callers wait is a design decision. What would show it: queues, streams and event buses between components instead of synchronous chains.",
               Link("Asynchronous invocation", LAMBDA + "invocation-async.html"),
               "Where the caller does not need the result, invoke asynchronously or through a queue or stream."),
        Choice("perf1_caching", "Optimize access patterns and apply caching where applicable", (4,),
               "API caches are encrypted (SL404).",
               Link("API Gateway caching", APIGW + "api-gateway-caching.html"),
               "Cache where reads repeat (API Gateway cache, CloudFront, DAX) and encrypt cached responses.",
               ("SL404",)),
        Choice("perf1_direct_integrations", "Integrate with managed services directly over functions when possible", (5,),
               "Not visible from templates yet (no rule checks it). What would show it: API Gateway service integrations and Step Functions service integrations in place of functions that only forward.",
               Link("API Gateway AWS service integrations", APIGW + "getting-started-aws-proxy.html"),
               "Replace functions that only forward requests with direct service integrations (API Gateway, Step Functions, EventBridge Pipes)."),
    ),
    _rules(_all("perf1_capacity", "perf1_startup", "perf1_async", "perf1_caching", "perf1_direct_integrations"), "perf1_capacity",
           "High when capacity is left to defaults nobody measured (128 MB, 3 seconds) or timeouts do not fit their callers."),
)

COST1 = _question(
    "cost1_costs", "COST 1", Pillar.COST,
    "How do you optimize your serverless application costs?",
    "Lean initialization, bounded logs, right-sized configuration and cost-aware patterns maximize value per invocation.",
    (
        Choice("cost1_init", "Minimize external calls and function code initialization", (1,),
               "Not visible from templates: initialization is code. What would show it: Init Duration in the function logs, profiling, package size.",
               Link("Lambda best practices", LAMBDA + "best-practices.html"),
               "Review what each function loads and calls at init and per invocation; reuse connections and cache results."),
        Choice("cost1_logging", "Optimize logging output and its retention", (2,),
               "Every function has a log group with retention (SL501), log groups have retention (SL502), debug logging is off (SL505).",
               Link("CloudWatch Logs retention", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention"),
               "Give every log group a RetentionInDays (functions: /aws/lambda/<name> or LoggingConfig.LogGroup) and log at INFO by default.",
               ("SL501", "SL502", "SL505")),
        Choice("cost1_function_config", "Optimize function configuration to reduce cost", (3,),
               "Functions run on arm64 (Graviton) (SL503).",
               Link("Lambda instruction set architectures", LAMBDA + "foundation-arch.html"),
               "Run functions on arm64 where dependencies allow, and right-size memory from measurements.",
               ("SL503",)),
        Choice("cost1_cost_aware", "Use cost-aware usage patterns in code", (4,),
               "REST APIs use a REST-only feature, else an HTTP API would do for less (SL504).",
               Link("Choosing between REST APIs and HTTP APIs", APIGW + "http-api-vs-rest.html"),
               "Prefer HTTP APIs where their features suffice, batch work, and choose the cheaper service pattern for each path.",
               ("SL504",)),
    ),
    _rules(_all("cost1_init", "cost1_logging", "cost1_function_config", "cost1_cost_aware"), "cost1_init",
           "High only when initialization is wasteful, which templates cannot show; medium when logs are kept forever or configuration costs more than it needs."),
)

LENS = Lens(
    name="Serverless Lens: templates (slens-lint)",
    description=(
        "The questions and best practices of the AWS Well-Architected Serverless Lens, answered from AWS SAM "
        "and CloudFormation templates by slens-lint. Each best practice says which template checks give its "
        "evidence; practices no template can show are answered by the team."
    ),
    version="1",
    practices=PRACTICES,
    questions=(OPS1, OPS2, SEC1, SEC2, SEC3, REL1, REL2, PERF1, COST1),
)
