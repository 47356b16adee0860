"""CloudWatch alarms and other monitoring resources.

An alarm watches either one metric (`Namespace` / `MetricName` / `Dimensions` on the alarm itself) or
a metric-math expression over several (`Metrics`, each query with a `MetricStat` or an `Expression`).
`Alarm.watched_metrics()` gives both shapes as one list, so rules need not know which was written.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterator

from slens_lint.template.resources.base import ABSENT, Props, Resource, V
from slens_lint.template.values import Known, Value


class DimensionSpec(Props):
    Name: V[str] = ABSENT
    Value: V[Any] = ABSENT
    """Kept raw: a function name is usually a `Ref`/`Sub` the rules compare structurally."""


class MetricSpec(Props):
    Namespace: V[str] = ABSENT
    MetricName: V[str] = ABSENT
    Dimensions: V[list[V[DimensionSpec]]] = ABSENT


class MetricStatSpec(Props):
    Metric: V[MetricSpec] = ABSENT
    Period: V[int] = ABSENT


class MetricDataQuerySpec(Props):
    Id: V[str] = ABSENT
    MetricStat: V[MetricStatSpec] = ABSENT
    Expression: V[str] = ABSENT


class AlarmProps(Props):
    Namespace: V[str] = ABSENT
    MetricName: V[str] = ABSENT
    Dimensions: V[list[V[DimensionSpec]]] = ABSENT
    Statistic: V[str] = ABSENT
    Period: V[int] = ABSENT
    EvaluationPeriods: V[int] = ABSENT
    Threshold: V[float] = ABSENT
    ComparisonOperator: V[str] = ABSENT
    TreatMissingData: V[str] = ABSENT
    Metrics: V[list[V[MetricDataQuerySpec]]] = ABSENT
    AlarmActions: V[list[V[Any]]] = ABSENT


class Alarm(Resource[AlarmProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CloudWatch::Alarm",)

    def watched_metrics(self) -> Iterator[Value]:
        """Every metric the alarm reads, as `MetricSpec` values: its single metric (the alarm's own
        `Namespace`/`MetricName`/`Dimensions`), or each `MetricStat.Metric` of a metric-math alarm."""
        props = self.props
        if props.MetricName.is_set() or props.Namespace.is_set():
            yield Known(
                MetricSpec.construct_read(
                    {"Namespace": props.Namespace, "MetricName": props.MetricName, "Dimensions": props.Dimensions},
                    {},
                    props.path,
                    props._env,
                ),
                props.path,
            )
        for query in props.Metrics.items():
            metric = query.MetricStat.Metric
            if metric.is_set():
                yield metric
