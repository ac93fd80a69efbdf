"""Which step parameters reach an output's metadata or tags (zlint.model.metadata), as ZL001
sees it: through project helper functions, containers filled piece by piece, ``add_tags`` and
values unique to each invocation."""

from __future__ import annotations

import textwrap

import pytest
from conftest import expected_markers

HEADER = """
from typing import Annotated, Tuple
from zenml import add_tags, get_step_context, log_metadata, pipeline, step
"""

#: Two calls that differ in ``split`` (and in ``n``, which no metadata carries).
TWICE = """
@pipeline
def training():
    transform(split="train", n=1)
    transform(split="val", n=2)  # expect: ZL001
"""

LOOP = """
@pipeline
def training():
    for i, split in enumerate(["train", "val", "test"]):
        transform(split=split, n=i)  # expect: ZL001
"""

#: A loop over values known only at run time: one call site, repeated.
RUNTIME_LOOP = """
@pipeline
def training(splits: list):
    for i, split in enumerate(splits):
        transform(split=split, n=i)  # expect: ZL001
"""


def pipe(step_code: str, calls: str = TWICE, **other: str) -> dict[str, str]:
    """``pipe.py`` holding the header, ``step_code`` and ``calls``; ``other`` adds modules
    (``helpers="..."`` writes ``helpers.py``)."""
    text = HEADER + textwrap.dedent(step_code) + calls
    return {"pipe.py": text, **{f"{name}.py": textwrap.dedent(src) for name, src in other.items()}}


def clean(sources: dict[str, str]) -> dict[str, str]:
    """The same project with the expectations taken out."""
    return {path: text.replace("  # expect: ZL001", "") for path, text in sources.items()}


HELPER = """
            def record_split(split):
                log_metadata(metadata={"split": split}, infer_artifact=True)
            """

# --------------------------------------------------------------------------- told apart

TOLD_APART = [
    # 1. metadata written through the project's own helper functions
    pytest.param(
        pipe(
            HELPER
            + """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record_split(split)
                return {}
            """
        ),
        id="helper-same-module",
    ),
    pytest.param(
        pipe(
            """
            from helpers import record_split

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record_split(split=split)
                return {}
            """,
            helpers="from zenml import log_metadata\n" + textwrap.dedent(HELPER),
        ),
        id="helper-imported-from-another-module",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                import helpers
                helpers.record_split(split)
                return {}
            """,
            helpers="from zenml import log_metadata\n" + textwrap.dedent(HELPER),
        ),
        id="helper-module-imported-in-the-body",
    ),
    pytest.param(
        pipe(
            HELPER
            + """
            def describe(label, extra=None):
                record_split(label)

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                describe(f"split={split}")
                return {}
            """
        ),
        id="helper-two-levels-deep",
    ),
    pytest.param(
        pipe(
            """
            def record(*values, **named):
                log_metadata({"values": list(values), **named}, infer_artifact=True)

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record("x", stage=split)
                return {}
            """
        ),
        id="helper-star-parameters",
    ),
    pytest.param(
        pipe(
            """
            def record(context, split):
                context.add_output_metadata(metadata={"split": split})

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record(get_step_context(), split)
                return {}
            """
        ),
        id="helper-gets-the-step-context",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                def note():
                    log_metadata(metadata={"split": split}, infer_artifact=True)

                note()
                return {}
            """
        ),
        id="nested-helper-reads-the-parameter",
    ),
    pytest.param(
        pipe(
            """
            def record(split, output):
                log_metadata({"split": split}, artifact_name=output, infer_artifact=True)

            @step
            def transform(split: str, n: int) -> Tuple[
                Annotated[dict, "features"], Annotated[dict, "labels"]
            ]:
                record(split, "features")
                record(split, output="labels")
                return {}, {}
            """
        ),
        id="helper-names-the-output-it-is-given",
    ),
    pytest.param(
        pipe(
            """
            def fill(md, split):
                md["split"] = split

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {}
                fill(md, split)
                log_metadata(md, infer_artifact=True)
                return {}
            """
        ),
        id="helper-fills-a-container",
    ),
    pytest.param(
        pipe(
            HELPER
            + """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record_split(split)
                return {}
            """,
            calls=LOOP,
        ),
        id="helper-loop-over-a-literal-list",
    ),
    # 2. taint through containers
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {}
                md["split"] = split
                log_metadata(md, infer_artifact=True)
                return {}
            """
        ),
        id="subscript-assignment",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {"stage": "x"}
                md.update({"split": split})
                log_metadata(metadata=md, infer_artifact=True)
                return {}
            """
        ),
        id="update",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md: dict = {"stage": "x"}
                md |= {"split": split}
                get_step_context().add_output_metadata(metadata=md)
                return {}
            """
        ),
        id="in-place-or",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                tags = ["base"]
                tags.append(split)
                get_step_context().add_output_tags(tags=tags)
                return {}
            """,
            calls=RUNTIME_LOOP,
        ),
        id="append-loop",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {"inner": {}}
                md["inner"].setdefault("split", split)
                log_metadata(md, infer_artifact=True)
                return {}
            """
        ),
        id="setdefault-on-a-nested-container",
    ),
    # 3. zenml.add_tags(..., infer_artifact=True)
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                add_tags(tags=[split], infer_artifact=True)
                return {}
            """
        ),
        id="add-tags",
    ),
    pytest.param(
        pipe(
            """
            import zenml

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                zenml.add_tags([f"split:{split}"], infer_artifact=True)
                return {}
            """,
            calls=RUNTIME_LOOP,
        ),
        id="add-tags-attribute-loop",
    ),
    pytest.param(
        pipe(
            """
            from zenml.utils.tag_utils import add_tags as tag

            @step
            def transform(split: str, n: int) -> Tuple[
                Annotated[dict, "features"], Annotated[dict, "labels"]
            ]:
                tag(tags=[split], infer_artifact=True, artifact_name="features")
                tag(tags=[split], infer_artifact=True, artifact_name="labels")
                return {}, {}
            """
        ),
        id="add-tags-named-outputs",
    ),
    # 4. values unique to each invocation
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                ctx = get_step_context()
                ctx.add_output_metadata(metadata={"by": ctx.step_run.name})
                return {}
            """
        ),
        id="step-run-name",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                run_id = str(get_step_context().step_run.id)
                log_metadata(metadata={"run": run_id}, infer_artifact=True)
                return {}
            """
        ),
        id="step-run-id",
    ),
    pytest.param(
        pipe(
            """
            def stamp(run):
                add_tags(tags=[run.name], infer_artifact=True)

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                stamp(get_step_context().step_run)
                return {}
            """
        ),
        id="step-run-passed-to-a-helper",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                ctx = get_step_context()
                log_metadata({"step": ctx.step_name}, infer_artifact=True)
                return {}
            """
        ),
        id="step-name",
    ),
]


@pytest.mark.parametrize("sources", TOLD_APART)
def test_told_apart(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(clean(sources), select=["ZL000", "ZL001"]) == []


# --------------------------------------------------------------------------- still reported

NOT_TOLD_APART = [
    pytest.param(
        pipe(
            """
            def record():
                log_metadata(metadata={"split": "always"}, infer_artifact=True)

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record()
                return {}
            """
        ),
        id="helper-constant-metadata",
    ),
    pytest.param(
        pipe(
            HELPER
            + """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record_split("train")
                return {}
            """
        ),
        id="helper-given-a-constant",
    ),
    pytest.param(
        pipe(
            """
            def record_split(split):
                log_metadata(metadata={"split": split})

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record_split(split)
                return {}
            """
        ),
        id="helper-logs-on-the-step-run",
    ),
    pytest.param(
        pipe(
            """
            from helpers import record_split

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                record_split(split)
                return {}
            """,
            calls=RUNTIME_LOOP,
            helpers="""
            from zenml import log_metadata

            def record_split(split):
                log_metadata(metadata={"split": split}, infer_artifact=False)
            """,
        ),
        id="imported-helper-without-infer-artifact-loop",
    ),
    pytest.param(
        pipe(
            """
            def ping(split):
                pong(split)

            def pong(split):
                ping(split)
                log_metadata(metadata={"fixed": 1}, infer_artifact=True)

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                ping(split)
                return {}
            """
        ),
        id="recursive-helpers-constant",
    ),
    pytest.param(
        pipe(
            """
            def fill(md, split):
                md = {}
                md["split"] = split

            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {"stage": "x"}
                fill(md, split)
                log_metadata(md, infer_artifact=True)
                return {}
            """
        ),
        id="helper-fills-its-own-container",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {}
                md["split"] = split
                md.update(extra=split)
                log_metadata({"stage": "x"}, infer_artifact=True)
                return {}
            """
        ),
        id="tainted-container-never-logged",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {}
                md["split"] = split
                log_metadata(md)
                return {}
            """
        ),
        id="tainted-container-logged-on-the-step-run",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                md = {}
                md["split"] = split
                md = {"stage": "x"}
                log_metadata(md, infer_artifact=True)
                return {}
            """
        ),
        id="tainted-container-replaced",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                log_metadata(metadata=dict(split="fixed"), infer_artifact=True)
                return {}
            """
        ),
        id="keyword-named-like-the-parameter",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                add_tags(tags=[split])
                return {}
            """
        ),
        id="add-tags-on-the-pipeline-run",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                add_tags(tags=[split], artifact_name="transformed", artifact_version="1")
                return {}
            """
        ),
        id="add-tags-on-another-version",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                ctx = get_step_context()
                log_metadata({"run": ctx.pipeline_run.name}, infer_artifact=True)
                return {}
            """
        ),
        id="pipeline-run-name-is-shared",
    ),
    pytest.param(
        pipe(
            """
            @step
            def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
                ctx = get_step_context()
                log_metadata({"by": ctx.step_run.name})
                return {}
            """
        ),
        id="step-run-name-on-the-step-run",
    ),
    pytest.param(
        pipe(
            """
            def record(split, output):
                log_metadata({"split": split}, artifact_name=output, infer_artifact=True)

            @step
            def transform(split: str, n: int) -> Tuple[
                Annotated[dict, "features"], Annotated[dict, "labels"]
            ]:
                record(split, "features")
                return {}, {}
            """
        ),
        id="helper-tells-apart-only-the-output-it-names",
    ),
]


@pytest.mark.parametrize("sources", NOT_TOLD_APART)
def test_not_told_apart(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL000", "ZL001"]) == expected_markers(sources)


def test_invocation_value_in_a_loop(check) -> None:  # type: ignore[no-untyped-def]
    sources = pipe(
        """
        @step
        def transform(split: str, n: int) -> Annotated[dict, "transformed"]:
            get_step_context().add_output_metadata(
                metadata={"by": get_step_context().step_run.name}
            )
            return {}
        """,
        calls=RUNTIME_LOOP,
    )
    assert check(clean(sources), select=["ZL000", "ZL001"]) == []
