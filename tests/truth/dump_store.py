"""Dump the artifact versions, step runs and pipeline runs of a ZenML store as JSON.

Run by the truth harness in a subprocess, with the same environment (and so the
same ``ZENML_CONFIG_PATH``) as the fixture's ``run.py``::

    python dump_store.py OUT.json

The result goes to a file rather than stdout because ZenML may print to stdout.
Only the plain ZenML client API is used, always with keyword arguments: the
first positional parameter of ``Client.list_*`` is ``sort_by``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

PAGE_SIZE = 100


def _all_items(list_fn: Callable[..., Any], **filters: Any) -> Iterator[Any]:
    """Yield every item of a paginated ``Client.list_*`` call, page by page."""
    page = 1
    while True:
        result = list_fn(page=page, size=PAGE_SIZE, **filters)
        yield from result.items
        if page >= result.total_pages:
            return
        page += 1


def _jsonable(value: Any) -> Any:
    """Round-trip a metadata value through JSON so the dump is always valid."""
    return json.loads(json.dumps(value, default=str))


def dump() -> dict[str, Any]:
    from zenml.client import Client

    client = Client()
    runs = [
        {
            "id": str(run.id),
            "name": run.name,
            "pipeline": run.pipeline.name if run.pipeline else None,
            "status": str(run.status.value),
        }
        for run in _all_items(client.list_pipeline_runs)
    ]
    steps = [
        {
            "id": str(step.id),
            "invocation_id": step.name,
            "run_id": str(step.pipeline_run_id),
            "status": str(step.status.value),
        }
        for step in _all_items(client.list_run_steps)
    ]
    versions = []
    for av in _all_items(client.list_artifact_versions, hydrate=True):
        versions.append(
            {
                "name": av.artifact.name,
                "version": str(av.version),
                "has_custom_name": bool(av.artifact.has_custom_name),
                "run_metadata": _jsonable(dict(av.run_metadata)),
                "tags": sorted(tag.name for tag in av.tags),
                "producer_step_run_id": (
                    str(av.producer_step_run_id) if av.producer_step_run_id else None
                ),
                "producer_run_id": (
                    str(av.producer_pipeline_run_id) if av.producer_pipeline_run_id else None
                ),
            }
        )
    return {"runs": runs, "steps": steps, "versions": versions}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: dump_store.py OUT.json", file=sys.stderr)
        return 2
    with open(argv[0], "w", encoding="utf-8") as fh:
        json.dump(dump(), fh, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
