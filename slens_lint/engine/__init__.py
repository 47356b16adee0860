"""The engine: the pipeline for one template (`pipeline`), many files (`batch`), suppression in one
place (`suppress`), verdicts placed as findings (`place`), and cfn-lint's own checks (`cfn_checks`)."""

from slens_lint.engine.batch import PARALLEL_THRESHOLD, default_jobs
from slens_lint.engine.pipeline import RULE_ERROR_ID, Engine, EngineOptions, LintTarget
from slens_lint.findings import PARSE_ERROR_ID

__all__ = ["PARALLEL_THRESHOLD", "PARSE_ERROR_ID", "RULE_ERROR_ID", "Engine", "EngineOptions", "LintTarget", "default_jobs"]
