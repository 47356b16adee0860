"""What SARIF says of a finding's context (see `Finding.context`), beside its file and line:

- logical locations: the resource (its JSON path), then the nested stack chain from the root template
  (`kind: resource`, `ApiStack/WorkersStack/Worker`), then the CDK construct path (`kind: namespace`,
  `OrdersStack/Api/Handler/Resource`);
- a related location: for a CDK finding placed at the app's source, where it is in the synthesized
  template;
- `properties.environments`: the `--all-envs` environments the finding holds in (also in the message).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Optional

import sarif_om

from slens_lint.findings import Finding


def json_path(path: Iterable[Any]) -> str:
    """`Resources.Api.Properties.Layers[0]`, with keys that hold dots or brackets quoted."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_:\-]+", str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += f"[{json.dumps(str(part))}]"
    return out


def logical_locations(finding: Finding) -> Optional[list[Any]]:
    found = []
    if finding.resource or finding.path:
        kind = "resource" if finding.resource else "property"
        found.append((finding.resource or str(finding.path[-1]), json_path(finding.path) or finding.resource, kind))
    if finding.chain:
        found.append((finding.chain.rsplit("/", 1)[-1], finding.chain, "resource"))
    if finding.construct_path:
        found.append((finding.construct_path, finding.construct_path, "namespace"))
    return [sarif_om.LogicalLocation(name=n, fully_qualified_name=q, kind=k) for n, q, k in found] or None


def add_context(result: Any, finding: Finding, generated_uri: Optional[str], physical: Callable[..., Any]) -> None:
    """The related location in the synthesized template and the environments, on a built result."""
    if finding.generated is not None and generated_uri is not None:
        g = finding.generated.range
        where = physical(generated_uri, g.start_line, g.start_column, g.end_line, g.end_column)
        text = sarif_om.Message(text="Where the finding is in the synthesized template.")
        result.related_locations = [sarif_om.Location(id=0, physical_location=where, message=text)]
    if finding.environments:
        result.properties = sarif_om.PropertyBag()
        setattr(result.properties, "environments", list(finding.environments))
