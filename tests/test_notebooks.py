"""Jupyter notebooks: code cells checked as one module, positions per cell, fixes written back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import write_project

from zlint.cli import main
from zlint.fixing import embedded as embedded_files
from zlint.inputs import notebooks

STEP_MODULE = """
from typing import Annotated
from zenml import step

@step
def prep(rows: list) -> Annotated[list, "prepped"]:
    return rows
"""

STEP_CELL = """from typing import Annotated
from zenml import pipeline, step
from steps import prep

@step
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows"""

PIPELINE_CELL = """@pipeline
def p(a: list, b: list):
    clean(a)
    clean(b)
    prep(a)
    prep(b)
"""


def code(source: str, number: int = 1, outputs: list[Any] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": number,
        "id": f"cell-{number}",
        "metadata": {"tags": [f"t{number}"]},
        "outputs": outputs or [],
        "source": source.splitlines(keepends=True),
    }


def markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": "md", "metadata": {}, "source": [text]}


def notebook(*cells: dict[str, Any]) -> str:
    document = {
        "cells": list(cells),
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


STANDARD = notebook(
    markdown("# Training"),
    code(STEP_CELL, 1, [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}]),
    markdown("Now the pipeline"),
    code(PIPELINE_CELL, 2),
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, {"steps/__init__.py": "from .prep import prep\n"})
    write_project(tmp_path, {"steps/prep.py": STEP_MODULE})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code_ = main(list(argv))
    return code_, capsys.readouterr().out


# --------------------------------------------------------------------------- findings


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            [markdown("# T"), code(STEP_CELL), markdown("x"), code(PIPELINE_CELL)],
            ["nb.ipynb:cell 4:4:5: ZL001", "nb.ipynb:cell 4:6:5: ZL001"],
            id="step-from-earlier-cell-and-project-module",
        ),
        pytest.param(
            [code(STEP_CELL), code("%%bash\necho hi\n"), code(PIPELINE_CELL)],
            ["nb.ipynb:cell 3:4:5: ZL001", "nb.ipynb:cell 3:6:5: ZL001"],
            id="cell-magic-skipped-but-counted",
        ),
        pytest.param(
            [code("%pip install zenml\n!ls\n" + STEP_CELL), code("x = !ls\n" + PIPELINE_CELL)],
            ["nb.ipynb:cell 2:5:5: ZL001", "nb.ipynb:cell 2:7:5: ZL001"],
            id="line-magics-keep-lines",
        ),
        pytest.param(
            [code(STEP_CELL), code("def broken(:\n"), code(PIPELINE_CELL)],
            [
                "nb.ipynb:cell 2:1:12: ZL000",
                "nb.ipynb:cell 3:4:5: ZL001",
                "nb.ipynb:cell 3:6:5: ZL001",
            ],
            id="syntax-error-in-one-cell",
        ),
        pytest.param(
            [code(STEP_CELL), code("await something()\n"), code(PIPELINE_CELL)],
            ["nb.ipynb:cell 3:4:5: ZL001", "nb.ipynb:cell 3:6:5: ZL001"],
            id="top-level-await-cell-left-out",
        ),
        pytest.param([markdown("# only prose")], [], id="no-code"),
    ],
)
def test_positions_in_concise_output(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    cells: list[dict[str, Any]],
    expected: list[str],
) -> None:
    (project / "nb.ipynb").write_text(notebook(*cells), encoding="utf-8")
    _, out = run(capsys, "check", "--output-format", "concise", "nb.ipynb")
    found = [re.match(r".*?: ZL\d{3}", line) for line in out.splitlines()]
    assert [match[0] for match in found if match is not None] == expected


def test_json_carries_the_cell(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "nb.ipynb").write_text(STANDARD, encoding="utf-8")
    (project / "plain.py").write_text("import os\n", encoding="utf-8")
    code_, out = run(capsys, "check", "--output-format", "json", "nb.ipynb")
    items = json.loads(out)
    assert code_ == 1
    assert [(i["cell"], i["location"]["row"], i["location"]["column"]) for i in items] == [
        (4, 4, 5),
        (4, 6, 5),
    ]
    assert "cell 4, line 3" in items[0]["message"]  # "first call at ...": the cell's line


def test_full_output_shows_the_cell(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "nb.ipynb").write_text(STANDARD, encoding="utf-8")
    _, out = run(capsys, "check", "nb.ipynb")
    assert "nb.ipynb:cell 4:4:5: ZL001" in out
    assert "4 |     clean(b)" in out


@pytest.mark.parametrize(
    ("output_format", "needle"),
    [
        pytest.param("github", "line=1,col=1", id="github"),
        pytest.param("gitlab", '"begin": 1', id="gitlab"),
        pytest.param("sarif", '"startLine": 1', id="sarif"),
        pytest.param("json-lines", '"cell": 4', id="json-lines"),
    ],
)
def test_structured_formats(
    project: Path, capsys: pytest.CaptureFixture[str], output_format: str, needle: str
) -> None:
    (project / "nb.ipynb").write_text(STANDARD, encoding="utf-8")
    code_, out = run(capsys, "check", "--output-format", output_format, "nb.ipynb")
    assert code_ == 1 and needle in out
    assert "cell 4:4:5" in out or '"cell": 4' in out


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param('{"cells": [', "not JSON", id="bad-json"),
        pytest.param('{"metadata": {}}', 'no "cells" list', id="no-cells"),
        pytest.param('{"cells": [{"source": "x"}]}', 'cell 1 has no "cell_type"', id="no-type"),
        pytest.param('{"cells": [{"cell_type": "code"}]}', 'no "source"', id="no-source"),
    ],
)
def test_malformed_notebook(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, reason: str
) -> None:
    (project / "bad.ipynb").write_text(text, encoding="utf-8")
    (project / "nb.ipynb").write_text(STANDARD, encoding="utf-8")
    code_, out = run(capsys, "check", "--output-format", "concise")
    lines = [line for line in out.splitlines() if "ZL0" in line]
    assert code_ == 1
    assert len([line for line in lines if line.startswith("bad.ipynb:")]) == 1
    assert reason in out and "ZL000 invalid notebook" in out
    assert any(line.startswith("nb.ipynb:cell 4") for line in lines)  # the run went on


def test_notebooks_are_discovered_by_default(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "nb.ipynb").write_text(STANDARD, encoding="utf-8")
    _, out = run(capsys, "check", "--show-files")
    assert "nb.ipynb" in out.split()


def test_other_kernels_are_not_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(STANDARD)
    document["metadata"]["language_info"]["name"] = "R"
    (project / "nb.ipynb").write_text(json.dumps(document, indent=1), encoding="utf-8")
    assert run(capsys, "check", "nb.ipynb")[0] == 0


# --------------------------------------------------------------------------- fixing


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda d: json.dumps(d, indent=1, sort_keys=True) + "\n", id="nbformat"),
        pytest.param(lambda d: json.dumps(d, indent=2), id="indent-2-no-final-newline"),
        pytest.param(lambda d: json.dumps(d, indent=4, ensure_ascii=False) + "\n", id="indent-4"),
    ],
)
def test_fix_writes_only_the_edited_cells(
    project: Path, capsys: pytest.CaptureFixture[str], encode: Any
) -> None:
    magic = code("%pip install zenml\n" + STEP_CELL, 1, [{"output_type": "stream", "text": "é"}])
    original = json.loads(
        notebook(markdown("# T"), magic, code("x = 1\n", 5), code(PIPELINE_CELL, 7))
    )
    path = project / "nb.ipynb"
    path.write_text(encode(original), encoding="utf-8")
    assert main(["fix", "nb.ipynb"]) == 0
    text = path.read_text(encoding="utf-8")
    fixed = json.load(path.open(encoding="utf-8"))
    assert text.endswith("\n") == encode(original).endswith("\n")
    assert text.splitlines()[1] == encode(original).splitlines()[1]  # same indentation
    for before, after in zip(original["cells"], fixed["cells"], strict=True):
        assert {**before, "source": None} == {**after, "source": None}
    assert fixed["metadata"] == original["metadata"]
    # The new import never goes into a cell that starts with an IPython line (in a fresh
    # kernel it would run before `%pip install` could install zenml): it goes into the
    # next cell that does not, after the cell's own imports.
    step_source = "".join(fixed["cells"][1]["source"])
    assert step_source.startswith("%pip install zenml\n")
    assert "import get_step_context" not in step_source
    assert "".join(fixed["cells"][2]["source"]) == "from zenml import get_step_context\n\nx = 1\n"
    assert 'clean(b, prefix="clean_2")' in "".join(fixed["cells"][3]["source"])
    assert (project / "steps/prep.py").read_text(encoding="utf-8").count("prefix") >= 2
    before_second = path.read_bytes()
    assert main(["fix", "nb.ipynb"]) == 0
    assert path.read_bytes() == before_second
    capsys.readouterr()


def test_fix_leaves_a_notebook_changed_on_disk(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "nb.ipynb"
    path.write_text(STANDARD, encoding="utf-8")
    real = embedded_files.restore_files

    def meddle(*args: Any) -> None:
        path.write_text(STANDARD.replace("Training", "Changed"), encoding="utf-8")
        real(*args)

    monkeypatch.setattr(embedded_files, "restore_files", meddle)
    main(["fix", "nb.ipynb"])
    assert "Changed" in path.read_text(encoding="utf-8")
    assert "prefix" not in path.read_text(encoding="utf-8")


def test_unreproducible_layout_is_not_written() -> None:
    odd = '{"cells": [], "nbformat": 4,\n  "metadata": {}}'
    result = notebooks.write_back(odd, "")
    assert not isinstance(result, str) and "layout" in result.message


@pytest.mark.parametrize(
    ("source", "python"),
    [
        pytest.param("%pip install x\nimport os", "pass  #<<magic 0>>\nimport os", id="line-magic"),
        pytest.param("!ls\n", "pass  #<<magic 0>>\n", id="shell"),
        pytest.param("files = !ls", "files = None  #<<magic 0>>", id="assigned-shell"),
        pytest.param("if x:\n    %time f()", "if x:\n    pass  #<<magic 0>>", id="indented"),
        pytest.param("os.path?", "pass  #<<magic 0>>", id="help"),
        pytest.param("!pip \\\n  x", "pass  #<<magic 0>>\npass  #<<magic 1>>", id="continued"),
        pytest.param("x = a % b  # why?", "x = a % b  # why?", id="not-a-magic"),
    ],
)
def test_ipython_lines(source: str, python: str) -> None:
    converted, magics = notebooks._python(source)
    assert converted == python
    assert notebooks._restore(converted, magics) == source
