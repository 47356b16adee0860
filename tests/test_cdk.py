"""CDK cloud assemblies: the committed `fixtures/cdk/app/cdk.out` (synthesized by `cdk synth --debug`
from the app beside it) read through its manifest, construct paths in every format, source lines
where traced, suppression from the app and per construct path."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from slens_lint import cdk

APP = FIXTURES / "cdk" / "app"
OUT = "fixtures/cdk/app/cdk.out"
SOURCE = "fixtures/cdk/app/lib/orders-stack.ts"
HANDLER_LINE = (22, 21)  # `new lambda.Function(this, 'Handler', ...)` in lib/orders-stack.ts
WORKER_LINE = (10, 5)  # `new lambda.Function(this, 'Worker', ...)` in the nested stack


def _json(*args, cwd=ROOT, code=(1,)):
    proc = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in code, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def _placed(findings):
    return {
        (f["construct_path"], f["file"], f["range"]["start_line"], f["range"]["start_column"], f["generated"]["file"] if f.get("generated") else None)
        for f in findings
    }


def test_the_assembly_is_linted_through_its_manifest_with_source_lines():
    document = _json("--select", "SL501", OUT)
    assert _placed(document["findings"]) == {
        ("OrdersStack/Handler/Resource", SOURCE, *HANDLER_LINE, f"{OUT}/OrdersStack.template.json"),
        ("OrdersStack/Workers/Worker/Resource", SOURCE, *WORKER_LINE, f"{OUT}/OrdersStackWorkersCD50F8EC.nested.template.json"),
        ("Prod/Orders/Handler/Resource", SOURCE, *HANDLER_LINE, f"{OUT}/assembly-Prod/ProdOrders525171E2.template.json"),
        ("Prod/Orders/Workers/Worker/Resource", SOURCE, *WORKER_LINE, f"{OUT}/assembly-Prod/ProdOrdersWorkers456BD6D0.nested.template.json"),
    }
    handler = next(f for f in document["findings"] if f["construct_path"] == "OrdersStack/Handler/Resource")
    assert handler["generated"]["range"]["start_line"] == 39  # the function's Properties in the JSON
    worker = next(f for f in document["findings"] if f["construct_path"] == "OrdersStack/Workers/Worker/Resource")
    assert worker["stack"] == ["WorkersNestedStackWorkersNestedStackResourceCEAEF017"] and worker["root"] == f"{OUT}/OrdersStack.template.json"
    # Two stacks, two nested stacks: assets, the tree and the reports are not linted.
    assert document["summary"]["linted"] == 4 and document["summary"]["files"] == 4


def test_the_app_folder_gives_the_same_as_the_assembly_and_a_scan_finds_it():
    assert _json("--select", "SL501", "fixtures/cdk/app")["findings"] == _json("--select", "SL501", OUT)["findings"]
    assert len(_json("--select", "SL501", "fixtures/cdk")["findings"]) == 4
    verbose = run_cli("check", "-v", "--select", "SL501", OUT, cwd=ROOT).stdout
    assert f"{OUT}/manifest.json: skipped 1 cdk:asset-manifest, 1 cdk:tree, 1 cdk:feature-flag-report" in verbose


def test_construct_path_in_every_format():
    args = ("--select", "SL501", "--sarif-root", ".", OUT)
    text = run_cli("check", *args, cwd=ROOT).stdout
    assert f"{SOURCE}:22:21 SL501 warning Function 'Handler886CB40B'" in text
    assert "  construct: OrdersStack/Handler/Resource\n" in text
    assert f"  template: {OUT}/OrdersStack.template.json:39:4\n" in text
    parseable = run_cli("check", "-f", "parseable", *args, cwd=ROOT).stdout
    assert f"{SOURCE}:22:21:22:22:WSL501:Function 'Handler886CB40B'" in parseable
    assert "[construct OrdersStack/Handler/Resource]" in parseable
    github = run_cli("check", "-f", "github", *args, cwd=ROOT).stdout
    assert f"file={SOURCE},line=22" in github and "%0AConstruct: OrdersStack/Handler/Resource" in github

    sys.path.insert(0, str(ROOT / "tests"))
    from test_sarif import check_document

    document = check_document(run_cli("check", "-f", "sarif", *args, cwd=ROOT).stdout)
    results = document["runs"][0]["results"]
    namespaces = {loc["fullyQualifiedName"] for r in results for loc in r["locations"][0]["logicalLocations"] if loc["kind"] == "namespace"}
    assert namespaces == {
        "OrdersStack/Handler/Resource", "OrdersStack/Workers/Worker/Resource",
        "Prod/Orders/Handler/Resource", "Prod/Orders/Workers/Worker/Resource",
    }
    handler = next(r for r in results if any(loc["fullyQualifiedName"] == "OrdersStack/Handler/Resource" for loc in r["locations"][0]["logicalLocations"]))
    assert handler["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == SOURCE
    assert handler["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == f"{OUT}/OrdersStack.template.json"
    assert len({r["partialFingerprints"]["slensFinding/v1"] for r in results}) == 4


def test_a_property_assigned_in_the_app_points_at_its_assignment():
    assembly = cdk.read_assembly(APP / "cdk.out")
    stacks = {stack.name: stack for _, stack in assembly.stacks}
    assert set(stacks) == {"OrdersStack", "Prod/Orders"}
    orders = stacks["OrdersStack"]
    at = ("Resources", "Handler886CB40B", "Properties", "Environment", "Variables")
    assert orders.source_of("OrdersStack/Handler/Resource", at).line == 33  # handler.addEnvironment(...)
    assert orders.source_of("OrdersStack/Handler/Resource", at[:3]).line == 22  # created
    assert orders.source_of("OrdersStack/BootstrapVersion", ()) is None  # no user code in its trace


def _copy(tmp_path: Path, with_source: bool = True) -> Path:
    app = tmp_path / "app"
    shutil.copytree(APP, app, ignore=None if with_source else shutil.ignore_patterns("lib"))
    return app


def test_without_a_trace_or_the_source_the_finding_points_at_the_template(tmp_path):
    app = _copy(tmp_path, with_source=False)
    document = _json("--select", "SL501", "cdk.out", cwd=app)
    assert {(f["file"], f["range"]["start_line"], f.get("generated")) for f in document["findings"] if f["construct_path"] == "OrdersStack/Handler/Resource"} == {
        ("cdk.out/OrdersStack.template.json", 39, None)
    }
    app = _copy(tmp_path / "untraced")
    metadata = app / "cdk.out" / "OrdersStack.metadata.json"
    entries = json.loads(metadata.read_text())
    metadata.write_text(json.dumps({k: [e for e in v if e["type"] == "aws:cdk:logicalId"] for k, v in entries.items()}))
    placed = {(f["construct_path"], f["file"]) for f in _json("--select", "SL501", "cdk.out", cwd=app)["findings"]}
    assert ("OrdersStack/Handler/Resource", "cdk.out/OrdersStack.template.json") in placed
    assert ("Prod/Orders/Handler/Resource", "lib/orders-stack.ts") in placed  # the stage's metadata still traces


def test_suppression_from_the_app_with_add_metadata(tmp_path):
    # The queue's SL307 is suppressed in the app (`addMetadata('slens-lint', ...)` on its CfnResource).
    assert _json("--select", "SL307", OUT, code=(0,))["findings"] == []
    app = _copy(tmp_path)
    template = app / "cdk.out" / "OrdersStack.template.json"
    tree = json.loads(template.read_text())
    del tree["Resources"]["JobsDF1CC2D4"]["Metadata"]["slens-lint"]
    template.write_text(json.dumps(tree, indent=1))
    findings = _json("--select", "SL307", "cdk.out", cwd=app)["findings"]
    assert [(f["construct_path"], f["file"], f["range"]["start_line"]) for f in findings] == [("OrdersStack/Jobs/Resource", "lib/orders-stack.ts", 29)]


def test_per_construct_ignores_in_the_configuration(tmp_path):
    app = _copy(tmp_path)
    (app / ".slens-lint.toml").write_text('[per-construct-ignores]\n"OrdersStack/Workers" = ["SL5"]\n"*/Handler/*" = ["WSL501"]\n')
    kept = {f["construct_path"] for f in _json("--select", "SL501", "cdk.out", cwd=app)["findings"]}
    assert kept == {"Prod/Orders/Workers/Worker/Resource"}
    assert cdk.construct_ignored("A/B/C", "SL501", "WSL501", [("A/B", ("SL5",))]) == "A/B"
    assert cdk.construct_ignored("A/BC", "SL501", "WSL501", [("A/B", ("SL5",))]) is None
    assert cdk.construct_ignored("A/B/C", "SL402", "WSL402", [("A/B", ("SL5",))]) is None


def test_a_hostile_manifest_is_refused_and_the_bootstrap_stack_skipped(tmp_path):
    out = tmp_path / "cdk.out"
    out.mkdir()
    (tmp_path / "secret.json").write_text('{"Resources": {"X": {"Type": "AWS::Logs::LogGroup"}}}')
    (out / "manifest.json").write_text(json.dumps({
        "version": "55.0.0",
        "artifacts": {
            "Escape": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../secret.json"}},
            "CDKToolkit": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "CDKToolkit.template.json"}},
            "Deep": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "/etc"}},
        },
    }))
    proc = run_cli("check", "-v", "cdk.out", cwd=tmp_path)
    assert proc.returncode == 2
    # Errors on stderr (they stay on the terminal), notes with the text report under -v.
    assert "slens-lint: cdk.out/manifest.json: stack 'Escape': template not read: outside the folder being linted" in proc.stderr
    assert "nested assembly 'Deep' not read: an absolute path" in proc.stderr
    assert "cdk.out/manifest.json: bootstrap stack 'CDKToolkit' skipped" in proc.stdout
    assert "SL502" not in proc.stdout  # the template outside the assembly was not linted


@pytest.mark.parametrize(
    "trace, expected",
    [
        (["...new Function2 in aws-cdk-lib...", "new OrdersStack (/build/app/lib/orders-stack.ts:22:21)"], ("/build/app/lib/orders-stack.ts", 22, 21)),
        (["new Function (/app/node_modules/aws-cdk-lib/aws-lambda/lib/function.js:1:2)", "Object.<anonymous> (/app/bin/app.ts:6:1)"], ("/app/bin/app.ts", 6, 1)),
        (["at Module._compile (node:internal/modules/cjs/loader:1:1)", "at C:\\app\\lib\\stack.ts:3:4"], ("C:\\app\\lib\\stack.ts", 3, 4)),
        (['  File "/venv/lib/python3.12/site-packages/jsii/_kernel/__init__.py", line 1, in x', '  File "/app/stacks/orders.py", line 12, in __init__'], ("/app/stacks/orders.py", 12, 1)),
        (["(no user code in 10 frames, use --stack-trace-limit to capture more)"], None),
    ],
)
def test_trace_formats(trace, expected):
    found = cdk.first_user_frame(trace)
    assert (None if found is None else (found.file, found.line, found.column)) == expected


def test_a_windows_trace_maps_by_its_tail():
    source = cdk.Source("C:\\Users\\dev\\app\\lib\\orders-stack.ts", 22, 21)
    assert cdk.locate(source, APP, APP, False) == APP / "lib" / "orders-stack.ts"
    assert cdk.locate(cdk.Source("/elsewhere/missing.ts", 1, 1), APP, APP, False) is None


def test_cdk_nested_and_labelled_sarif_passes_githubs_ingestion_rules(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from test_sarif import check_document, multitool_problems

    proc = run_cli("check", "-f", "sarif", "--all-envs", "--sarif-root", ".", "fixtures/cdk/app", "fixtures/nested/template.yaml", cwd=ROOT)
    check_document(proc.stdout)
    path = tmp_path / "context.sarif"
    path.write_text(proc.stdout, encoding="utf-8")
    assert multitool_problems(path, tmp_path) == []
