"""The values automatic fixes need a decision for, with their defaults: `[tool.slens-lint.fix]` in
`pyproject.toml` (or `.slens-lint.toml`) overrides them (`log-retention-days = 90`)."""

from __future__ import annotations

from slens_lint.findings import Setting

LOG_RETENTION_DAYS = Setting("log-retention-days", 30)
"""Days a log group added or fixed by SL501/SL502 keeps its logs."""
THROTTLING_RATE_LIMIT = Setting("throttling-rate-limit", 100)
"""Steady requests per second of the default throttling SL301 adds to a stage or HTTP API."""
THROTTLING_BURST_LIMIT = Setting("throttling-burst-limit", 50)
"""Burst of the default throttling SL301 adds."""
DEPLOYMENT_TYPE = Setting("deployment-type", "Canary10Percent5Minutes")
"""The CodeDeploy traffic-shifting type of a `DeploymentPreference` SL101/SL102 add."""
MAX_RECEIVE_COUNT = Setting("max-receive-count", 5)
"""Receives before SQS moves a message to the dead-letter queue SL307 adds."""
RESERVED_CONCURRENCY = Setting("reserved-concurrency", 5)
"""`ReservedConcurrentExecutions` SL312 sets on a queue-fed VPC function."""

ALL = (LOG_RETENTION_DAYS, THROTTLING_RATE_LIMIT, THROTTLING_BURST_LIMIT, DEPLOYMENT_TYPE, MAX_RECEIVE_COUNT, RESERVED_CONCURRENCY)
