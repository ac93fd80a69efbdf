"""The ZenML target: which releases a project runs, from ``zenml-version``, ``--zenml-version``
or the project's lock, requirements and package files (config.infer_zenml_target,
zlint.inputs.zenml_requirement), and where runs show and record it."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from zlint import config, engine
from zlint.cli import main
from zlint.fastpath import cache
from zlint.model.releases import NEWEST, Target, describe_exactly

# --------------------------------------------------------------------------- helpers


def write(root: Path, files: Mapping[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def infer(root: Path, files: Mapping[str, str | bytes], *checked: str) -> tuple[Target, list[str]]:
    """The target learned for a run on ``checked`` (default: the root) of a project at
    ``root`` holding ``files``, and the warnings."""
    write(root, files)
    settings = config.default_settings(root)
    paths = [root / c for c in checked] or [root]
    inferred, warnings = config.infer_zenml_target(settings, paths)
    return inferred.zenml_target, list(warnings)


def uv_lock(*versions: str) -> str:
    entries = "".join(
        f'[[package]]\nname = "zenml"\nversion = "{v}"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        'dependencies = [\n    { name = "click" },\n]\n\n'
        '[package.optional-dependencies]\nserver = [\n    { name = "fastapi" },\n]\n\n'
        for v in versions
    )
    return (
        'version = 1\nrequires-python = ">=3.10"\n\n'
        '[[package]]\nname = "click"\nversion = "8.1.7"\n\n'
        f"{entries}"
        '[[package]]\nname = "zenml-helper"\nversion = "1.0"\n'
        'dependencies = [\n    { name = "zenml" },\n]\n'
    )


POETRY_LOCK = """
[[package]]
name = "zenml"
version = "0.84.2"
description = "ZenML: Write production-ready ML code."
optional = false
python-versions = "<3.13,>=3.9"

[package.dependencies]
click = ">=8.0.1,<8.1.4"

[package.extras]
server = ["fastapi (>=0.100,<=0.115.8)"]

[[package]]
name = "zipp"
version = "3.20.0"

[metadata]
lock-version = "2.0"

[metadata.files]
zenml = [{file = "zenml-0.84.2.tar.gz", hash = "sha256:00"}]
"""


# --------------------------------------------------------------------------- file kinds

#: (id, files, releases as describe_exactly prints them, spec, source)
CASES: list[tuple[str, dict[str, str], str, str, str]] = [
    # Lock files: an exact release.
    ("uv-lock", {"uv.lock": uv_lock("0.85.0")}, "0.85.0", "==0.85.0", "uv.lock"),
    (
        "uv-lock-forked",
        {"uv.lock": uv_lock("0.84.0", "0.85.0")},
        "0.84.0, 0.85.0",
        "==0.84.0 | ==0.85.0",
        "uv.lock",
    ),
    ("uv-lock-prerelease", {"uv.lock": uv_lock("0.85.0rc1")}, "0.85.0", "==0.85.0rc1", "uv.lock"),
    ("poetry-lock", {"poetry.lock": POETRY_LOCK}, "0.84.2", "==0.84.2", "poetry.lock"),
    (
        "pdm-lock",
        {
            "pdm.lock": '[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "zenml"\n'
            'version = "0.93.1"\nrequires_python = ">=3.9"\n'
        },
        "0.93.1",
        "==0.93.1",
        "pdm.lock",
    ),
    (
        "pylock",
        {
            "pylock.toml": 'lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\n'
            'name = "zenml"\nversion = "0.91.2"\n\n[[packages.wheels]]\nname = "zenml-0.91.2.whl"\n'
        },
        "0.91.2",
        "==0.91.2",
        "pylock.toml",
    ),
    (
        "lock-without-zenml-falls-through",
        {
            "uv.lock": uv_lock().replace('{ name = "zenml" }', '{ name = "click" }'),
            "requirements.txt": "zenml==0.83.1\n",
        },
        "0.83.1",
        "==0.83.1",
        "requirements.txt:1",
    ),
    (
        "lock-of-zenml-itself-has-no-version",
        {
            "uv.lock": '[[package]]\nname = "zenml"\nsource = { editable = "." }\n',
            "setup.py": "from setuptools import setup\nsetup(install_requires=['zenml==0.80.1'])\n",
        },
        "0.80.1",
        "==0.80.1",
        "setup.py:2 install_requires",
    ),
    # pyproject.toml
    (
        "pep621-range",
        {
            "pyproject.toml": '[project]\nname = "p"\ndependencies = ["pandas", '
            '"zenml[server]>=0.80,<0.85"]\n'
        },
        "0.80.0 to 0.84.3",
        ">=0.80,<0.85",
        "pyproject.toml [project.dependencies]",
    ),
    (
        "pep621-markers-are-alternatives",
        {
            "pyproject.toml": "[project]\ndependencies = [\n"
            "  \"zenml==0.84.3; python_version < '3.12'\",\n"
            "  \"zenml==0.90.0; python_version >= '3.12'\",\n]\n"
        },
        "0.84.3, 0.90.0",
        "==0.84.3; python_version < '3.12' | ==0.90.0; python_version >= '3.12'",
        "pyproject.toml [project.dependencies]",
    ),
    (
        "pep621-extra-compatible-release",
        {
            "pyproject.toml": '[project]\ndependencies = ["click"]\n'
            '[project.optional-dependencies]\ndocs = ["mkdocs"]\nserver = ["zenml[server]~=0.84.1"]\n'
        },
        "0.84.1 to 0.84.3",
        "~=0.84.1",
        "pyproject.toml [project.optional-dependencies] server",
    ),
    (
        "dependency-groups-exclusion",
        {
            "pyproject.toml": '[dependency-groups]\ndev = [{include-group = "lint"}, '
            '"zenml>=0.94,!=0.94.3"]\nlint = ["ruff"]\n'
        },
        "0.94.0 to 0.94.2, 0.94.4 to 0.98.0",
        ">=0.94,!=0.94.3",
        "pyproject.toml [dependency-groups] dev",
    ),
    (
        "main-dependencies-before-groups",
        {
            "pyproject.toml": '[project]\ndependencies = ["zenml>=0.97"]\n'
            '[dependency-groups]\ndev = ["zenml==0.93.0"]\n'
        },
        "0.97.0 to 0.98.0",
        ">=0.97",
        "pyproject.toml [project.dependencies]",
    ),
    (
        "unversioned-is-the-newest",
        {"pyproject.toml": '[project]\ndependencies = ["zenml[server]"]\n'},
        str(NEWEST),
        "",
        "pyproject.toml [project.dependencies]",
    ),
    (
        "url-is-the-newest",
        {
            "pyproject.toml": '[project]\ndependencies = ["zenml @ git+https://github.com/zenml-io/zenml"]\n'
        },
        str(NEWEST),
        "@ git+https://github.com/zenml-io/zenml",
        "pyproject.toml [project.dependencies]",
    ),
    # Poetry
    *(
        (
            f"poetry-{constraint}",
            {
                "pyproject.toml": f'[tool.poetry.dependencies]\npython = "^3.10"\nzenml = "{constraint}"\n'
            },
            releases,
            constraint,
            "pyproject.toml [tool.poetry.dependencies]",
        )
        for constraint, releases in [
            ("^0.85", "0.85.0"),
            ("^0.84.1", "0.84.1 to 0.84.3"),
            ("~0.84.1", "0.84.1 to 0.84.3"),
            ("~0.84", "0.84.0 to 0.84.3"),
            ("0.84.2", "0.84.2"),
            ("0.84.*", "0.84.0 to 0.84.3"),
            (">=0.80,<0.81 || ^0.91", "0.80.0 to 0.80.2, 0.91.0 to 0.91.2"),
            (">= 0.96.2 < 0.97", "0.96.2 to 0.96.4"),
            ("*", str(NEWEST)),
        ]
    ),
    (
        "poetry-table-with-extras",
        {
            "pyproject.toml": '[tool.poetry.dependencies]\nZenML = { version = "^0.93", '
            'extras = ["server"] }\n'
        },
        "0.93.0 to 0.93.3",
        "^0.93",
        "pyproject.toml [tool.poetry.dependencies]",
    ),
    (
        "poetry-multiple-constraints",
        {
            "pyproject.toml": "[tool.poetry.dependencies]\nzenml = [\n"
            '  { version = "0.84.0", python = "<3.12" },\n  { version = "^0.90", python = ">=3.12" },\n]\n'
        },
        "0.84.0, 0.90.0",
        "0.84.0 | ^0.90",
        "pyproject.toml [tool.poetry.dependencies]",
    ),
    (
        "poetry-group",
        {
            "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\n'
            '[tool.poetry.group.ml.dependencies]\nzenml = "~0.75"\n'
        },
        "0.75.0 to 0.75.1",
        "~0.75",
        "pyproject.toml [tool.poetry.group.ml.dependencies]",
    ),
    (
        "poetry-git-source",
        {
            "pyproject.toml": '[tool.poetry.dependencies]\nzenml = { git = "https://github.com/zenml-io/zenml.git" }\n'
        },
        str(NEWEST),
        "",
        "pyproject.toml [tool.poetry.dependencies]",
    ),
    # requirements files
    (
        "requirements-pin-with-extras-hash-and-comment",
        {
            "requirements.txt": "# ML\n--index-url https://pypi.org/simple\n-e ./lib\npandas>=2\n"
            "zenml[server,s3]==0.91.2 --hash=sha256:0123  # pinned for MinIO\n"
        },
        "0.91.2",
        "==0.91.2",
        "requirements.txt:5",
    ),
    (
        "requirements-continuation-and-marker",
        {"requirements.txt": "zenml \\\n  >=0.96,<0.97 ; python_version >= '3.10'\n"},
        "0.96.0 to 0.96.4",
        ">=0.96,<0.97 ; python_version >= '3.10'",
        "requirements.txt:1",
    ),
    (
        "requirements-lines-intersect",
        {"requirements.txt": "zenml>=0.80\nclick\nZenML<0.81\n"},
        "0.80.0 to 0.80.2",
        ">=0.80, <0.81",
        "requirements.txt:1",
    ),
    (
        "requirements-include",
        {
            "requirements.txt": "-r requirements/base.txt\nclick\n",
            "requirements/base.txt": "--requirement=ml.txt\n",
            "requirements/ml.txt": "zenml>=0.90,<0.92\n",
        },
        "0.90.0 to 0.91.2",
        ">=0.90,<0.92",
        "requirements/ml.txt:1 (via -r from requirements/base.txt, -r from requirements.txt)",
    ),
    (
        "requirements-constraint-narrows",
        {
            "requirements.txt": "zenml[server]\n-c constraints.txt\n",
            "constraints.txt": "zenml==0.84.2\nclick<9\n",
        },
        "0.84.2",
        "==0.84.2",
        "requirements.txt:1, constrained by constraints.txt:1 (via -c from requirements.txt)",
    ),
    (
        "requirements-constraint-alone",
        {
            "requirements.txt": "-cconstraints.txt\nmy-zenml-plugin\n",
            "constraints.txt": "zenml<0.44\n",
        },
        "0.43.0 to 0.43.1",
        "<0.44",
        "constraints.txt:1 (via -c from requirements.txt)",
    ),
    (
        "requirements-circle",
        {"requirements.txt": "-r dev.txt\nzenml==0.82.1\n", "dev.txt": "-r requirements.txt\n"},
        "0.82.1",
        "==0.82.1",
        "requirements.txt:2",
    ),
    (
        "requirements-other-names",
        {"requirements-dev.txt": "pytest\n", "requirements-prod.txt": "zenml~=0.55.2\n"},
        "0.55.2 to 0.55.5",
        "~=0.55.2",
        "requirements-prod.txt:1",
    ),
    (
        "requirements-similar-names-are-not-zenml",
        {"requirements.txt": "zenml-io-helpers==1.0\nzenmlx\ngit+https://x/zenml.git\n"},
        str(NEWEST),
        f"=={NEWEST}",
        "default (the newest release zlint knows)",
    ),
    # setup.cfg and setup.py
    (
        "setup-cfg",
        {
            "setup.cfg": "[metadata]\nname = p\n\n[options]\ninstall_requires =\n"
            "    click  # cli\n    zenml>=0.58,<0.60\n"
        },
        "0.58.0 to 0.58.2",
        ">=0.58,<0.60",
        "setup.cfg [options] install_requires",
    ),
    (
        "setup-cfg-extra",
        {
            "setup.cfg": "[options]\ninstall_requires = click\n[options.extras_require]\n"
            "ml =\n    zenml==0.57.1\n"
        },
        "0.57.1",
        "==0.57.1",
        "setup.cfg [options.extras_require] ml",
    ),
    (
        "setup-py",
        {
            "setup.py": "import setuptools\n\nsetuptools.setup(\n    name='p',\n"
            "    install_requires=['click', 'zenml[server]==0.56.4'],\n)\n"
        },
        "0.56.4",
        "==0.56.4",
        "setup.py:5 install_requires",
    ),
    (
        "setup-py-runs-nothing",
        {
            "setup.py": "from setuptools import setup\nREQS = open('r.txt').read().split()\n"
            "setup(install_requires=REQS)\n"
        },
        str(NEWEST),
        f"=={NEWEST}",
        "default (the newest release zlint knows)",
    ),
    ("nothing", {}, str(NEWEST), f"=={NEWEST}", "default (the newest release zlint knows)"),
]


@pytest.mark.parametrize(
    ("files", "releases", "spec", "source"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_what_each_file_says(
    tmp_path: Path, files: dict[str, str], releases: str, spec: str, source: str
) -> None:
    target, warnings = infer(tmp_path, files)
    assert (describe_exactly(target.releases), target.spec, target.source) == (
        releases,
        spec,
        source,
    )
    assert warnings == []


def test_the_files_read_are_recorded(tmp_path: Path) -> None:
    target, _ = infer(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'p'\n",
            "requirements.txt": "-r base.txt\n",
            "base.txt": "zenml==0.85.0\n",
            "setup.py": "setup(install_requires=['zenml'])\n",
        },
    )
    assert target.read == (
        tmp_path / "pyproject.toml",
        tmp_path / "requirements.txt",
        tmp_path / "base.txt",
    )


# --------------------------------------------------------------------------- precedence

ALL_SOURCES = {
    "uv.lock": uv_lock("0.85.0"),
    "pyproject.toml": '[project]\nname = "p"\ndependencies = ["zenml==0.84.3"]\n',
    "requirements.txt": "zenml==0.83.1\n",
    "setup.cfg": "[options]\ninstall_requires =\n    zenml==0.82.1\n",
    "setup.py": "from setuptools import setup\nsetup(install_requires=['zenml==0.81.0'])\n",
}


def show_settings(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    assert main(["check", "--show-settings", *argv]) == 0
    lines = capsys.readouterr().out.splitlines()
    return dict(line.split(": ", 1) for line in lines if line.startswith("zenml-"))


def test_precedence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CLI > configuration > lock > pyproject > requirements > setup.cfg > setup.py > default."""
    write(tmp_path, ALL_SOURCES)
    write(tmp_path, {"zlint.toml": 'zenml-version = "0.80.2"\n'})
    monkeypatch.chdir(tmp_path)
    assert show_settings(capsys, "--zenml-version", "0.75.1")["zenml-source"] == "--zenml-version"
    assert show_settings(capsys)["zenml-source"] == "zlint.toml zenml-version"
    (tmp_path / "zlint.toml").unlink()
    expected = [
        ("0.85.0", "uv.lock"),
        ("0.84.3", "pyproject.toml [project.dependencies]"),
        ("0.83.1", "requirements.txt:1"),
        ("0.82.1", "setup.cfg [options] install_requires"),
        ("0.81.0", "setup.py:2 install_requires"),
    ]
    for (release, source), name in zip(expected, ALL_SOURCES, strict=True):
        shown = show_settings(capsys)
        assert (shown["zenml-releases"], shown["zenml-source"]) == (release, source)
        (tmp_path / name).unlink()
    assert show_settings(capsys)["zenml-source"].startswith("default")


def test_the_nearest_folder_of_a_monorepo_speaks_first(tmp_path: Path) -> None:
    files = {
        "uv.lock": uv_lock("0.85.0"),
        "services/train/requirements.txt": "zenml==0.90.0\n",
        "services/train/pipelines/run.py": "",
        "services/serve/app.py": "",
        "services/serve/pyproject.toml": "[project]\nname = 'serve'\ndependencies = []\n",
    }
    assert infer(tmp_path, files, "services/train/pipelines/run.py")[0].source == (
        "services/train/requirements.txt:1"
    )
    assert infer(tmp_path, files, "services/serve")[0].source == "uv.lock"
    assert infer(tmp_path, files)[0].source == "uv.lock"
    both = infer(tmp_path, files, "services/train", "services/serve")[0]
    assert both.source == "uv.lock"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("files", "warning", "source"),
    [
        pytest.param(
            {"uv.lock": '[[package]]\nname = "zenml"\nversion = 0.85.0\n'},
            "uv.lock: invalid TOML",
            "requirements.txt:1",
            id="lock-invalid-toml",
        ),
        pytest.param(
            {"poetry.lock": '[[package]]\nname = "zenml"\nversion = "latest"\n'},
            "poetry.lock: zenml 'latest' is not a version",
            "requirements.txt:1",
            id="lock-bad-version",
        ),
        pytest.param(
            {"pyproject.toml": "[project\n"},
            "pyproject.toml: invalid TOML",
            "requirements.txt:1",
            id="pyproject-invalid-toml",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\ndependencies = "zenml"\n'},
            "pyproject.toml [project] dependencies: not a list",
            "requirements.txt:1",
            id="pyproject-wrong-type",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.poetry.dependencies]\nzenml = "^zero"\n'},
            "pyproject.toml [tool.poetry.dependencies]: '^zero' is not a Poetry version",
            "requirements.txt:1",
            id="poetry-bad-constraint",
        ),
        pytest.param(
            {"requirements.txt": "zenml>=0.8x\n"},
            "requirements.txt:1: 'zenml>=0.8x' is not a valid requirement",
            "requirements-z.txt:1",
            id="requirements-bad-line",
        ),
        pytest.param(
            {"requirements.txt": b"zenml==0.85.0 \xff\n"},
            "requirements.txt: not UTF-8 text",
            "requirements-z.txt:1",
            id="requirements-not-utf8",
        ),
        pytest.param(
            {"requirements.txt": "-r missing.txt\n"},
            "requirements.txt:1: -r missing.txt: no such file",
            "requirements-z.txt:1",
            id="requirements-missing-include",
        ),
        pytest.param(
            {"setup.cfg": "install_requires = zenml\n"},
            "setup.cfg: not a valid setup.cfg",
            "setup.py:1 install_requires",
            id="setup-cfg-no-section",
        ),
        pytest.param(
            {"setup.cfg": "[options]\ninstall_requires =\n  zenml==0.8.x\n"},
            "setup.cfg: 'zenml==0.8.x' is not a valid requirement",
            "setup.py:1 install_requires",
            id="setup-cfg-bad-line",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_skipped_with_a_warning(
    tmp_path: Path, files: dict[str, str | bytes], warning: str, source: str
) -> None:
    """The next source answers; the warning names the file (and line)."""
    fallback = {"requirements.txt": "zenml==0.83.1\n"}
    if source.startswith("requirements-z.txt"):
        fallback = {"requirements-z.txt": "zenml==0.83.1\n"}
    if source.startswith("setup.py"):
        fallback = {"setup.py": "setup(install_requires=['zenml==0.83.1'])\n"}
    target, warnings = infer(tmp_path, {**files, **fallback})
    assert target.source == source
    assert len(warnings) == 1 and warnings[0].startswith(warning), warnings


def test_a_broken_setup_py_falls_back_to_the_default(tmp_path: Path) -> None:
    target, warnings = infer(tmp_path, {"setup.py": "setup(install_requires=['zenml'\n"})
    assert target.source.startswith("default")
    assert warnings[0].startswith("setup.py: not valid Python")


@pytest.mark.parametrize(
    "name",
    [
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "pylock.toml",
        "pyproject.toml",
        "requirements.txt",
        "setup.cfg",
        "setup.py",
    ],
)
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"zenml",
        b'name = "zenml"\n[[',
        b'[[package]]\nname = "zenml"\nversion = {a = 1}\n',
        b"[options]\ninstall_requires = %(x)s zenml\n",
        b"-r\n-c \nzenml ==\n",
        b"setup(install_requires=[1, None, 'zenml'])",
        b"zenml = [[[]]]\n",
    ],
)
def test_garbage_never_crashes(tmp_path: Path, name: str, content: bytes) -> None:
    target, _ = infer(tmp_path, {name: content})
    assert target.releases


def test_a_requirement_that_admits_no_known_release_gets_the_nearest(tmp_path: Path) -> None:
    target, warnings = infer(tmp_path, {"requirements.txt": "zenml[server]==0.42.1\n"})
    assert (target.releases[0].__str__(), target.spec) == ("0.43.0", "==0.42.1")
    assert target.source == "requirements.txt:1 (the nearest known release)"
    assert warnings == [
        "requirements.txt:1: zenml ==0.42.1 admits no release zlint knows (0.43.0 to 0.98.0); "
        "checking for 0.43.0, the nearest (set zenml-version to choose)"
    ]
    newer, _ = infer(tmp_path, {"uv.lock": uv_lock("0.99.1")})
    assert newer.releases == (NEWEST,)


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("value", "releases"),
    [
        ("0.84", "0.84.0 to 0.84.3"),
        ("0.84.*", "0.84.0 to 0.84.3"),
        ("0.84.1", "0.84.1"),
        ("==0.84.1", "0.84.1"),
        (">=0.70,<0.80", "0.70.0 to 0.75.1"),
        ("~=0.94.4", "0.94.4 to 0.94.6"),
        ("!=0.98.0", "0.43.0 to 0.97.0"),
    ],
)
def test_zenml_version_setting(tmp_path: Path, value: str, releases: str) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": f'[tool.zlint]\nzenml-version = "{value}"\n',
            "uv.lock": uv_lock("0.85.0"),
        },
    )
    settings = config.load_config_file(tmp_path / "pyproject.toml")
    inferred, warnings = config.infer_zenml_target(settings, [tmp_path])
    target = inferred.zenml_target
    assert describe_exactly(target.releases) == releases
    assert (target.spec, target.source) == (value, "pyproject.toml [tool.zlint] zenml-version")
    assert target.read == () and warnings == ()  # the lock file was not even read


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.42", "zenml-version: '0.42' admits no ZenML release zlint knows (0.43.0 to 0.98.0)"),
        ("1.0.0", "zenml-version: '1.0.0' admits no ZenML release zlint knows"),
        (">=0.7x", "zenml-version: '>=0.7x' is not a version or a version range"),
        ("", "zenml-version: an empty string is not a version"),
        (85, "zenml-version must be a string, not int"),
    ],
)
def test_bad_zenml_version_setting(tmp_path: Path, value: object, message: str) -> None:
    write(tmp_path, {"zlint.toml": f"zenml-version = {json.dumps(value)}\n"})
    with pytest.raises(config.ConfigError) as raised:
        config.load_config_file(tmp_path / "zlint.toml")
    assert message in str(raised.value)
    assert "zlint.toml: zenml-version" in str(raised.value)


def test_bad_command_line_version_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--zenml-version", "0.20", "."]) == 2
    err = capsys.readouterr().err
    assert "--zenml-version: '0.20' admits no ZenML release zlint knows (0.43.0 to 0.98.0)" in err


def test_the_command_line_reads_no_project_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"uv.lock": "[[package]\n"})
    monkeypatch.chdir(tmp_path)
    shown = show_settings(capsys, "--zenml-version", ">=0.90,<0.91")
    assert shown == {
        "zenml-version": ">=0.90,<0.91",
        "zenml-releases": "0.90.0",
        "zenml-source": "--zenml-version",
    }
    assert "warning" not in capsys.readouterr().err


# --------------------------------------------------------------------------- showing it


def test_show_settings_prints_the_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"requirements.txt": "zenml>=0.93.2,<0.95,!=0.94.0\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--show-settings"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3:] == [
        "zenml-version: >=0.93.2,<0.95,!=0.94.0",
        "zenml-releases: 0.93.2 to 0.93.3, 0.94.1 to 0.94.6",
        "zenml-source: requirements.txt:1",
    ]


def test_warnings_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"requirements.txt": "zenml>=0.8x\n", "a.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert captured.err == (
        "zlint: warning: requirements.txt:1: 'zenml>=0.8x' is not a valid requirement\n"
    )


def test_verbose_prints_the_target_on_stderr_and_json_stays_a_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"uv.lock": uv_lock("0.85.0"), "a.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-v", "--output-format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert captured.err == "zlint: ZenML target: 0.85.0 (==0.85.0, from uv.lock)\n"


def test_sarif_records_the_target_in_the_run_properties(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\ndependencies = ["zenml>=0.96.3,<0.97"]\n',
            "a.py": "x = 1\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", "sarif"]) == 0
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    assert run["properties"] == {
        "zenmlTarget": {
            "releases": ["0.96.3", "0.96.4"],
            "spec": ">=0.96.3,<0.97",
            "source": "pyproject.toml [project.dependencies]",
        }
    }


# --------------------------------------------------------------------------- the cache

STEPS = """
from typing import Annotated
from zenml import pipeline, step

@step
def load(split: str) -> Annotated[list, "rows"]:
    return []

@pipeline
def training():
    load("train")
    load("test")
"""


def test_a_lock_edit_runs_the_check_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'p'\n",
            "uv.lock": uv_lock("0.85.0"),
            "pipeline.py": STEPS,
        },
    )
    monkeypatch.chdir(tmp_path)
    real = engine.check_project
    calls: list[object] = []

    def counting(*args: object, **kwargs: object) -> engine.CheckResult:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_project", counting)

    def runs() -> int:
        before = len(calls)
        assert main(["check", "--output-format", "json"]) == 1
        assert [d["code"] for d in json.loads(capsys.readouterr().out)] == ["ZL001"]
        return len(calls) - before

    assert runs() == 1
    assert runs() == 0  # nothing changed: served from the cache
    write(tmp_path, {"uv.lock": uv_lock("0.90.0")})  # another release: another target
    assert runs() == 1
    assert runs() == 0
    write(tmp_path, {"uv.lock": uv_lock("0.90.0") + "\n# another package bumped\n"})
    assert runs() == 1  # the lock is an input of the run, like the checked files
    assert runs() == 0


def test_the_target_is_part_of_the_run_key(tmp_path: Path) -> None:
    settings = config.default_settings(tmp_path)
    other = config.with_overrides(settings, zenml_version="0.85")
    key = cache.run_key(settings, settings.selected, [], [])
    assert key != cache.run_key(other, other.selected, [], [])
