"""SARIF 2.1.0, the format GitHub code scanning (``github/codeql-action/upload-sarif``) reads.

One run; ``tool.driver.rules`` lists every zlint rule, and each result points at its rule by
id and index. File locations are relative to the project root, which the run names in
``originalUriBaseIds`` as ``PROJECTROOT``; a file outside the root gets an absolute URI.
Columns count Unicode code points (``columnKind``), as zlint's columns do, and end columns
are exclusive, as SARIF's are. The run's ``properties`` record the ZenML releases the run
checked for (``zenmlTarget``: releases, spec, source).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from zlint import __version__
from zlint.catalog import DOCS_URL
from zlint.formats.report import (
    Report,
    cell_of,
    edits_of,
    file_span,
    fingerprints,
    fix_message,
    located_message,
)
from zlint.types import Diagnostic

if TYPE_CHECKING:
    from zlint.rules.base import Rule

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
VERSION = "2.1.0"
ROOT_ID = "PROJECTROOT"
INFORMATION_URI = DOCS_URL.split("/blob/", 1)[0]
#: The key of zlint's own fingerprint in ``partialFingerprints`` (see ``fingerprints``).
FINGERPRINT_KEY = "zlint/v1"
#: The run property recording the ZenML releases checked for (releases, spec, source).
PROPERTY_TARGET = "zenmlTarget"


def as_sarif(report: Report) -> str:
    # The full rule documentation comes from the rule classes, which import LibCST: only
    # SARIF output needs them.
    from zlint.rules import registry

    rule_index = {rule.code: index for index, rule in enumerate(registry.RULES)}
    prints = fingerprints(
        report, {d.path: _location_text(d.path, report.root) for d in report.diagnostics}
    )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "zlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in registry.RULES],
            }
        },
        "originalUriBaseIds": {ROOT_ID: {"uri": _directory_uri(report.root)}},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(d, report.root, rule_index.get(d.code), fingerprint)
            for d, fingerprint in zip(report.diagnostics, prints, strict=True)
        ],
    }
    if report.zenml_target is not None:
        run["properties"] = {PROPERTY_TARGET: dict(report.zenml_target)}
    return json.dumps({"$schema": SCHEMA, "version": VERSION, "runs": [run]}, indent=2)


def _rule(rule: type[Rule]) -> dict[str, Any]:
    from zlint import docs

    body = docs.body(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": f"{rule.summary}."},
        "fullDescription": {"text": _section(body, "What it does") or f"{rule.summary}."},
        "help": {"text": body, "markdown": body},
        "helpUri": docs.rule_url(rule),
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["zenml"]},
    }


def _section(body: str, title: str) -> str:
    start = body.find(f"## {title}\n")
    if start < 0:
        return ""
    text = body[start + len(title) + 4 :]
    end = text.find("\n## ")
    return " ".join((text if end < 0 else text[:end]).split())


def _result(d: Diagnostic, root: Path, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    location = _artifact_location(d.path, root)
    span = file_span(d)
    result: dict[str, Any] = {"ruleId": d.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update(
        {
            "level": "error",
            "message": {"text": located_message(d)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": _region(
                            span.start.line, span.start.column, span.end.line, span.end.column
                        ),
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
    )
    fix = _fix(d, location)
    if fix is not None:
        result["fixes"] = [fix]
    return result


def _fix(d: Diagnostic, location: dict[str, str]) -> dict[str, Any] | None:
    edits = edits_of(d)
    # SARIF wants at least one replacement in a fix, and a notebook cell's lines are not lines
    # of the file.
    if not edits or cell_of(d) is not None:
        return None
    fix: dict[str, Any] = {}
    message = fix_message(d)
    if message is not None:
        fix["description"] = {"text": message}
    fix["artifactChanges"] = [
        {
            "artifactLocation": location,
            "replacements": [
                {
                    "deletedRegion": _region(
                        edit.start_line, edit.start_column, edit.end_line, edit.end_column
                    ),
                    "insertedContent": {"text": edit.content},
                }
                for edit in edits
            ],
        }
    ]
    return fix


def _region(start_line: int, start_column: int, end_line: int, end_column: int) -> dict[str, int]:
    start_line, start_column = max(start_line, 1), max(start_column, 1)
    end_line = max(end_line, start_line)
    end_column = max(end_column, start_column if end_line == start_line else 1)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _relative(path: Path, root: Path) -> str | None:
    for candidate, base in ((path.resolve(), root.resolve()), (path.absolute(), root.absolute())):
        if candidate.is_relative_to(base):
            return candidate.relative_to(base).as_posix()
    return None


def _location_text(path: Path, root: Path) -> str:
    relative = _relative(path, root)
    return relative if relative is not None else path.absolute().as_posix()


def _artifact_location(path: Path, root: Path) -> dict[str, str]:
    relative = _relative(path, root)
    if relative is None:
        return {"uri": path.absolute().as_uri()}
    # Raw file-name bytes, percent-encoded: a name that is not UTF-8 still makes a valid URI.
    return {"uri": quote(os.fsencode(relative)), "uriBaseId": ROOT_ID}


def _directory_uri(root: Path) -> str:
    uri = root.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"
