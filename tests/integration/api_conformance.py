#!/usr/bin/env python3
"""Checks the requests the integration tests made against docs/api/openapi.yaml.

Every integration test's requests are recorded (rqwatch_testlib.record_api_call,
one JSON line each, in RQWATCH_API_RECORD/<test>.jsonl). CTest runs this after
all of them (the cleanup of the `api_record` fixture):

  * a request to a documented path must use a documented method and get a
    documented status;
  * a request to an undocumented path must get 404 (a test asking for a
    route that does not exist), so no route works without being documented;
  * when every test_*.py left records (a full run), every documented
    operation must have been called at least once, so the document lists
    no route that is gone.

    api_conformance.py --openapi docs/api/openapi.yaml --records DIR --tests tests/integration
"""
import argparse
import json
import re
import sys
from pathlib import Path

import yaml

METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


def templates(doc: dict) -> list[tuple[str, re.Pattern, dict]]:
    out = []
    for path, item in doc["paths"].items():
        ref = item.get("$ref", "")
        if ref.startswith("#/paths/"):  # another path's operations (JSON pointer)
            item = doc["paths"][ref[len("#/paths/"):].replace("~1", "/").replace("~0", "~")]
        rx = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")
        ops = {m.upper(): op for m, op in item.items() if m in METHODS}
        out.append((path, rx, ops))
    # As OpenAPI says, a concrete path wins over a templated one that also
    # matches (/api/v1/mails/bulk before /api/v1/mails/{id}).
    out.sort(key=lambda t: t[0].count("{"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--openapi", required=True)
    ap.add_argument("--records", required=True)
    ap.add_argument("--tests", required=True, help="folder of the test_*.py files")
    args = ap.parse_args()
    doc = yaml.safe_load(Path(args.openapi).read_text())
    tpl = templates(doc)
    records_dir = Path(args.records)
    problems: set[str] = set()
    used: set[tuple[str, str]] = set()
    count = 0
    for file in sorted(records_dir.glob("*.jsonl")):
        for line in file.read_text().splitlines():
            r = json.loads(line)
            count += 1
            method, path, status = r["method"], r["path"], str(r["status"])
            match = next(((p, ops) for p, rx, ops in tpl if rx.match(path)), None)
            if match is None:
                if status != "404":
                    problems.add(f"{file.stem}: {method} {path} -> {status}: path not in openapi.yaml")
                continue
            doc_path, ops = match
            # HEAD is served wherever GET is.
            op = ops.get(method) or (ops.get("GET") if method == "HEAD" else None)
            if op is None:
                if status != "405":
                    problems.add(f"{file.stem}: {method} {doc_path} -> {status}: method not documented")
                continue
            used.add((method if method in ops else "GET", doc_path))
            responses = {str(k) for k in op.get("responses", {})}
            if status not in responses and "default" not in responses:
                problems.add(f"{file.stem}: {method} {doc_path} -> {status}: status not documented "
                             f"(documented: {', '.join(sorted(responses))})")
    expected = {p.stem for p in Path(args.tests).glob("test_*.py")}
    recorded = {p.stem for p in records_dir.glob("*.jsonl")}
    if expected <= recorded:
        for doc_path, _, ops in tpl:
            for method in ops:
                if (method, doc_path) not in used:
                    problems.add(f"{method} {doc_path}: documented but no test calls it")
    else:
        print(f"api_conformance: partial run ({len(recorded)} of {len(expected)} tests recorded); "
              "not checking that every documented route is called")
    for p in sorted(problems):
        print("api_conformance:", p)
    print(f"api_conformance: {count} requests checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
