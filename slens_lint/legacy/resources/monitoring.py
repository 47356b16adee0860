"""CloudWatch alarms and other monitoring resources.

An alarm watches either one metric (`Namespace` / `MetricName` / `Dimensions` on the alarm itself) or
a metric-math expression over several (`Metrics`, each query with a `MetricStat` or an `Expression`).
`Alarm.watched_metrics()` gives both shapes as one list, so rules need not know which was written.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterator

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource


class DimensionSpec(Props):
    Name: Lenient[str] = None
    Value: Any = None
    """Kept raw: a function name is usually a `Ref`/`Sub` the rules compare structurally."""


class MetricSpec(Props):
    Namespace: Lenient[str] = None
    MetricName: Lenient[str] = None
    Dimensions: Lenient[list[Lenient[DimensionSpec]]] = None


class MetricStatSpec(Props):
    Metric: Lenient[MetricSpec] = None
    Period: Lenient[int] = None
    Stat: Lenient[str] = None
    Unit: Lenient[str] = None


class MetricDataQuerySpec(Props):
    Id: Lenient[str] = None
    MetricStat: Lenient[MetricStatSpec] = None
    Expression: Lenient[str] = None
    Label: Lenient[str] = None
    ReturnData: Lenient[bool] = None


class AlarmProps(Props):
    AlarmName: Lenient[str] = None
    Namespace: Lenient[str] = None
    MetricName: Lenient[str] = None
    Dimensions: Lenient[list[Lenient[DimensionSpec]]] = None
    Statistic: Lenient[str] = None
    ExtendedStatistic: Lenient[str] = None
    Period: Lenient[int] = None
    EvaluationPeriods: Lenient[int] = None
    Threshold: Lenient[float] = None
    ComparisonOperator: Lenient[str] = None
    TreatMissingData: Lenient[str] = None
    Metrics: Lenient[list[Lenient[MetricDataQuerySpec]]] = None
    ActionsEnabled: Lenient[bool] = None
    AlarmActions: Lenient[list[Any]] = None


class Alarm(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CloudWatch::Alarm",)
    properties: AlarmProps = Field(default_factory=AlarmProps)

    def watched_metrics(self) -> Iterator[MetricSpec]:
        """Every metric the alarm reads: its single metric, or each `MetricStat` of a metric-math alarm.

        A single-metric alarm whose `Namespace`/`MetricName` are intrinsics still yields a `MetricSpec`
        (with `Intrinsic` fields), so a caller can tell "unreadable" from "absent".
        """
        props = self.properties
        if props.MetricName is not None or props.Namespace is not None:
            yield MetricSpec(Namespace=props.Namespace, MetricName=props.MetricName, Dimensions=props.Dimensions)
        if isinstance(props.Metrics, list):
            for query in props.Metrics:
                if isinstance(query, MetricDataQuerySpec) and isinstance(query.MetricStat, MetricStatSpec):
                    if isinstance(query.MetricStat.Metric, MetricSpec):
                        yield query.MetricStat.Metric


class CompositeAlarmProps(Props):
    AlarmName: Lenient[str] = None
    AlarmRule: Lenient[str] = None
    ActionsEnabled: Lenient[bool] = None
    AlarmActions: Lenient[list[Any]] = None


class CompositeAlarm(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CloudWatch::CompositeAlarm",)
    properties: CompositeAlarmProps = Field(default_factory=CompositeAlarmProps)
