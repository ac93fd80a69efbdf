"""The project model: recognising ZenML by qualified name and resolving names across modules.

Each case is a small project. A step with a fixed custom output name called twice is the
probe: ZL001 fires at the second call exactly when zlint resolved the step (and its output
name) through whatever import forms the case uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from conftest import expected_markers


def case(
    sources: dict[str, str],
    *,
    id: str,
    paths: Sequence[str] = (".",),
    select: Sequence[str] = ("ZL001",),
    marks: pytest.MarkDecorator | Sequence[pytest.MarkDecorator] = (),
) -> object:
    return pytest.param(sources, list(paths), list(select), id=id, marks=marks)


def _reported(relative: str, paths: Sequence[str]) -> bool:
    return any(p == "." or relative == p or relative.startswith(p.rstrip("/") + "/") for p in paths)


#: A step module with a named output, used by many cases.
STEPS = """
    from typing import Annotated
    from zenml import step

    @step
    def clean(split: str) -> Annotated[dict, "cleaned"]:
        return {}
"""

#: The same module with an unnamed output: calling it twice is fine.
UNNAMED_STEPS = """
    from zenml import step

    @step
    def clean(split: str) -> dict:
        return {}
"""


CASES = [
    # -- recognising ZenML -----------------------------------------------------------------
    case(
        {
            "pipe.py": """
        from typing import Annotated
        import zenml as zn

        @zn.step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @zn.pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="import-zenml-as-alias",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline as p, step as s

        @s
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @p
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="from-zenml-import-step-as-alias",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml.pipelines import pipeline
        from zenml.steps import step

        @step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="zenml-steps-and-zenml-pipelines-modules",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        import zenml.steps
        import zenml.pipelines

        @zenml.steps.step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @zenml.pipelines.pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="import-zenml-submodule-dotted-decorator",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline, step

        @step(enable_cache=False)
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline(enable_cache=False, name="training_pipeline")
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="decorator-calls-with-arguments",
    ),
    case(
        {
            "pipe.py": """
        import typing as t
        from zenml import pipeline, step

        @step
        def clean(split: str) -> t.Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="typing-module-alias-annotated",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline
        from zenml.steps import BaseStep

        class Scaler(BaseStep):
            def entrypoint(self, split: str) -> Annotated[dict, "scaled"]:
                return {}

        scaler = Scaler()

        @pipeline
        def training():
            scaler("a")
            scaler("b")  # expect: ZL001
    """
        },
        id="base-step-subclass-instance",
    ),
    case(
        {
            "framework/__init__.py": "",
            "framework/base.py": '''
            from zenml.steps import BaseStep

            class ProjectStep(BaseStep):
                """Adds logging to every step of the project."""

                def log(self, text: str) -> None:
                    print(text)
        ''',
            "steps/__init__.py": "",
            "steps/scaling.py": """
            from typing import Annotated
            from framework.base import ProjectStep

            class Scaler(ProjectStep):
                def entrypoint(self, split: str) -> Annotated[dict, "scaled"]:
                    return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps.scaling import Scaler

            @pipeline
            def training():
                Scaler()("a")
                Scaler()("b")  # expect: ZL001
        """,
        },
        id="base-step-through-intermediate-project-class",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        import zenml.steps as zs
        from zenml import pipeline

        class Scaler(zs.BaseStep):
            def entrypoint(self, split: str) -> Annotated[dict, "scaled"]:
                return {}

        scaler = Scaler()

        @pipeline
        def training():
            scaler("a")
            scaler("b")  # expect: ZL001
    """
        },
        id="base-step-through-module-alias",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline

        def step(fn):
            return fn

        @step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")
    """
        },
        id="local-function-named-step-is-not-zenml",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from metaflow import step
        from zenml import pipeline

        @step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")
    """
        },
        id="metaflow-step-is-not-zenml",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline, step

        class Scaler:
            def entrypoint(self, split: str) -> Annotated[dict, "scaled"]:
                return {}

        scaler = Scaler()

        @pipeline
        def training():
            scaler("a")
            scaler("b")
    """
        },
        id="class-with-entrypoint-but-no-base-step-is-not-a-step",
    ),
    case(
        {
            "pyproject.toml": """
            [project]
            name = "sample"

            [tool.zlint]
            step-decorators = ["mylib.tracked_step"]
        """,
            "mylib.py": """
            from zenml import step

            def tracked_step(fn=None, **options):
                return step(fn, **options)
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline
            from mylib import tracked_step

            @tracked_step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            @tracked_step(enable_cache=False)
            def scale(split: str) -> Annotated[dict, "scaled"]:
                return {}

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
                scale("a")
                scale("b")  # expect: ZL001
        """,
        },
        id="step-decorators-config",
    ),
    case(
        {
            "pyproject.toml": """
            [project]
            name = "sample"

            [tool.zlint]
            step-decorators = ["mylib.tracked_step"]
        """,
            "mylib.py": """
            from zenml import step

            def tracked_step(fn):
                return step(fn)
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline
            import mylib as ml

            @ml.tracked_step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="step-decorators-config-through-module-alias",
    ),
    case(
        {
            "mylib.py": """
            from zenml import step

            def tracked_step(fn):
                return step(fn)
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline
            from mylib import tracked_step

            @tracked_step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="wrapper-without-config-is-recognised-from-its-body",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline, step

        def _clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        clean = step(_clean)

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="step-applied-as-a-call",
    ),
    # -- imports ---------------------------------------------------------------------------
    case(
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            import pkg.steps as c

            @pipeline
            def training():
                c.clean("a")
                c.clean("b")  # expect: ZL001
        """,
        },
        id="import-dotted-as-alias",
    ),
    case(
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            import pkg.steps

            @pipeline
            def training():
                pkg.steps.clean("a")
                pkg.steps.clean("b")  # expect: ZL001
        """,
        },
        id="import-dotted-called-through-full-path",
    ),
    case(
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            from pkg import steps

            @pipeline
            def training():
                steps.clean("a")
                steps.clean("b")  # expect: ZL001
        """,
        },
        id="call-through-module-attribute",
    ),
    case(
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            from pkg.steps import clean as tidy

            @pipeline
            def training():
                tidy("a")
                tidy("b")  # expect: ZL001
        """,
        },
        id="from-import-as-alias",
    ),
    case(
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": STEPS,
            "pkg/pipe.py": """
            from zenml import pipeline
            from . import steps as s

            @pipeline
            def training():
                s.clean("a")
                s.clean("b")  # expect: ZL001
        """,
        },
        id="relative-from-dot-import-as",
    ),
    case(
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": STEPS,
            "pkg/pipelines/__init__.py": "",
            "pkg/pipelines/train.py": """
            from zenml import pipeline
            from .. import steps
            from ..steps import clean

            @pipeline
            def training():
                steps.clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="relative-from-dot-dot-import",
    ),
    case(
        {
            "pkg/steps.py": STEPS,
            "pkg/pipe.py": """
            from zenml import pipeline
            from .steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="relative-import-in-namespace-package",
    ),
    case(
        {
            "steps/__init__.py": """
            from .prep import clean
        """,
            "steps/prep.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="package-init-re-export",
    ),
    case(
        {
            "lib/__init__.py": """
            from lib.steps import *
        """,
            "lib/steps/__init__.py": """
            from lib.steps.prep import clean as clean
        """,
            "lib/steps/prep.py": STEPS,
            "pipe.py": """
            import lib
            from zenml import pipeline

            @pipeline
            def training():
                lib.clean("a")
                lib.clean("b")  # expect: ZL001
        """,
        },
        id="re-export-chain-through-two-packages",
    ),
    case(
        {
            "steps.py": """
            from typing import Annotated
            from zenml import step

            __all__ = ["clean"]

            @step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import *

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="star-import-with-all",
    ),
    case(
        {
            "steps.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            from steps import *

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="star-import-without-all",
    ),
    case(
        {
            "named.py": """
            from typing import Annotated
            from zenml import step

            __all__ = ["other"]

            @step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            def other():
                pass
        """,
            "plain.py": UNNAMED_STEPS,
            "pipe.py": """
            from zenml import pipeline
            from plain import clean
            from named import *

            @pipeline
            def training():
                clean("a")
                clean("b")
        """,
        },
        id="star-import-honours-all-and-keeps-earlier-binding",
    ),
    case(
        {
            "named.py": STEPS,
            "plain.py": UNNAMED_STEPS,
            "pipe.py": """
            from zenml import pipeline
            from plain import clean
            from named import *

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="later-star-import-rebinds-an-earlier-import",
    ),
    case(
        {
            "steps.py": """
            from typing import Annotated
            from zenml import step

            @step
            def _clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import *

            @pipeline
            def training():
                _clean("a")
                _clean("b")
        """,
        },
        id="star-import-without-all-skips-private-names",
    ),
    case(
        {
            "steps.py": """
            from typing import Annotated
            from zenml import step

            @step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            fast = clean.with_options(enable_cache=False)
            copied = clean.copy()
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean, copied, fast

            @pipeline
            def training():
                clean("a")
                fast("b")  # expect: ZL001
                copied("c")  # expect: ZL001
        """,
        },
        id="module-level-with-options-and-copy-aliases",
    ),
    case(
        {
            "steps.py": STEPS,
            "aliases.py": """
            from steps import clean

            fast = clean.with_options(enable_cache=False)
        """,
            "pipe.py": """
            from zenml import pipeline
            from aliases import fast

            @pipeline
            def training():
                fast("a")
                fast("b")  # expect: ZL001
        """,
        },
        id="alias-defined-in-a-third-module",
    ),
    case(
        {
            "src/mypkg/__init__.py": "",
            "src/mypkg/steps.py": STEPS,
            "src/mypkg/pipelines.py": """
            from zenml import pipeline
            from mypkg.steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
            "run.py": """
            from mypkg.pipelines import training
            from mypkg.steps import clean
            from zenml import pipeline

            @pipeline
            def extra():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="src-layout",
    ),
    case(
        {
            "projects/churn/steps/__init__.py": STEPS,
            "projects/churn/run.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def churn():
                clean("a")
                clean("b")  # expect: ZL001
        """,
            "projects/fraud/steps/__init__.py": UNNAMED_STEPS,
            "projects/fraud/run.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def fraud():
                clean("a")
                clean("b")
        """,
        },
        id="monorepo-sibling-projects-named-first",
    ),
    case(
        {
            "projects/alpha/steps/__init__.py": UNNAMED_STEPS,
            "projects/alpha/run.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def alpha():
                clean("a")
                clean("b")
        """,
            "projects/beta/steps/__init__.py": "",
            "projects/beta/steps/prep.py": STEPS,
            "projects/beta/pipelines/train.py": """
            from zenml import pipeline
            from steps.prep import clean

            @pipeline
            def beta():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="monorepo-sibling-projects-named-second-nested-importer",
    ),
    case(
        {
            "projects/churn/steps/__init__.py": STEPS,
            "projects/churn/run.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def churn():
                clean("a")
                clean("b")  # expect: ZL001
        """,
            "projects/fraud/steps/__init__.py": STEPS,
            "projects/fraud/run.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def fraud():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="monorepo-report-one-project-only",
        paths=["projects/fraud"],
    ),
    case(
        {
            "pipe.py": """
        from typing import *
        from zenml import *

        @step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="star-import-from-zenml-and-typing",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import *

        @step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="star-import-from-zenml",
    ),
    case(
        {
            "pipe.py": """
        from typing_extensions import Annotated
        from zenml import pipeline, step

        @step
        def clean(split: str) -> Annotated[dict, "cleaned"]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="typing-extensions-annotated",
    ),
    case(
        {
            "common/__init__.py": """
            from zenml import pipeline, step

            __all__ = ["pipeline", "step"]
        """,
            "pipe.py": """
            from typing import Annotated
            from common import pipeline, step

            @step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="zenml-decorators-re-exported-by-a-project-module",
    ),
    case(
        {
            "pkg/__init__.py": """
            from pkg.steps import clean
        """,
            "pkg/steps.py": STEPS,
            "pkg/pipe.py": """
            from zenml import pipeline
            from . import clean as tidy

            @pipeline
            def training():
                tidy("a")
                tidy("b")  # expect: ZL001
        """,
        },
        id="relative-from-dot-import-a-name-from-init",
    ),
    case(
        {
            "steps/__init__.py": """
            from .prep import *
        """,
            "steps/prep.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            from steps import *

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="star-import-chain-through-package-init",
    ),
    case(
        {
            "common/__init__.py": "",
            "common/steps.py": STEPS,
            "projects/churn/steps/__init__.py": """
            from typing import Annotated
            from zenml import step

            @step
            def scale(split: str) -> Annotated[dict, "scaled"]:
                return {}
        """,
            "projects/churn/run.py": """
            from zenml import pipeline
            from common.steps import clean
            from steps import scale

            @pipeline
            def churn():
                clean("a")
                clean("b")  # expect: ZL001
                scale("a")
                scale("b")  # expect: ZL001
        """,
        },
        id="monorepo-shared-root-package-and-local-package",
    ),
    case(
        {
            "pipe.py": """
        from typing import Annotated
        from zenml import pipeline, step

        class Names:
            PREFIX = "churn"
            FEATURES = PREFIX + "_features"

        @step
        def clean(split: str) -> Annotated[dict, Names.FEATURES]:
            return {}

        @pipeline
        def training():
            clean("a")
            clean("b")  # expect: ZL001
    """
        },
        id="class-attribute-built-from-another-class-attribute",
    ),
    case(
        {
            "pyproject.toml": """
            [project]
            name = "sample"

            [tool.zlint]
            step-decorators = ["company_ml.tracked_step"]
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline
            from company_ml import tracked_step

            @tracked_step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="step-decorators-config-for-an-installed-library",
    ),
    case(
        {
            "pyproject.toml": """
            [project]
            name = "sample"

            [tool.zlint]
            step-decorators = ["mylib.tracked_step"]
        """,
            "mylib/__init__.py": """
            from mylib.decorators import tracked_step

            __all__ = ["tracked_step"]
        """,
            "mylib/decorators.py": """
            from zenml import step

            def tracked_step(fn):
                return step(fn)
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline
            from mylib import tracked_step

            @tracked_step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="step-decorators-config-names-the-public-re-export",
    ),
    case(
        {
            "steps/__init__.py": """
            __all__ = ["prep"]
        """,
            "steps/prep.py": STEPS,
            "pipe.py": """
            from zenml import pipeline
            from steps import *

            @pipeline
            def training():
                prep.clean("a")
                prep.clean("b")  # expect: ZL001
        """,
        },
        id="star-import-all-lists-a-submodule",
    ),
    # -- constants -------------------------------------------------------------------------
    case(
        {
            "names.py": """
            class Artifacts:
                CLEANED = "cleaned"
        """,
            "steps.py": """
            from typing import Annotated
            from zenml import ArtifactConfig, step
            from names import Artifacts

            @step
            def clean(split: str) -> Annotated[dict, ArtifactConfig(name=Artifacts.CLEANED)]:
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="class-attribute-constant-from-another-module",
    ),
    case(
        {
            "config/__init__.py": "",
            "config/names.py": """
            CLEANED = "cleaned"
        """,
            "steps.py": """
            from typing import Annotated
            from zenml import step
            from config import names

            @step
            def clean(split: str) -> Annotated[dict, names.CLEANED]:
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="constant-through-imported-module",
    ),
    case(
        {
            "names.py": """
            PREFIX = "churn"
        """,
            "steps.py": """
            from typing import Annotated
            from zenml import step
            from names import PREFIX

            SUFFIX = "features"

            @step
            def clean(split: str) -> Annotated[dict, f"{PREFIX}_{SUFFIX}"]:
                return {}

            @step
            def scale(split: str) -> Annotated[dict, PREFIX + "_scaled"]:
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean, scale

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
                scale("a")
                scale("b")  # expect: ZL001
        """,
        },
        id="f-string-and-concatenation-over-module-constants",
    ),
    case(
        {
            "names.py": """
            PREFIX = "churn"
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline, step
            from names import PREFIX

            @step
            def build(split: str) -> Annotated[dict, f"{PREFIX}_features"]:
                return {}

            @step
            def load(split: str) -> Annotated[dict, "churn_features"]:
                return {}

            @pipeline
            def training():
                build("a")
                load("b")  # expect: ZL002
        """,
        },
        id="f-string-name-equals-another-steps-literal",
        select=["ZL002"],
    ),
    case(
        {
            "steps.py": """
            from typing import Annotated
            from zenml import step

            NAME = "features"

            @step
            def build(split: str) -> Annotated[dict, NAME]:
                return {}
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline, step
            from steps import build

            NAME = "other"

            @step
            def other(split: str) -> Annotated[dict, NAME]:
                return {}

            @step
            def load(split: str) -> Annotated[dict, "features"]:
                return {}

            @pipeline
            def training():
                build("a")
                other("b")
                load("c")  # expect: ZL002
        """,
        },
        id="constants-resolve-in-the-defining-module",
        select=["ZL002"],
    ),
    # -- helpers and sub-pipelines in other modules --------------------------------------
    case(
        {
            "steps.py": STEPS,
            "helpers.py": """
            from steps import clean as tidy

            def prepare(split):
                return tidy(split)
        """,
            "pipe.py": """
            from zenml import pipeline
            from helpers import prepare

            @pipeline
            def training():
                prepare("a")
                prepare("b")  # expect: ZL001
        """,
        },
        id="helper-in-another-module",
    ),
    case(
        {
            "steps.py": STEPS,
            "sub.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def cleaning(split: str):
                clean(split)
        """,
            "pipe.py": """
            from zenml import pipeline
            from sub import cleaning

            @pipeline
            def training():
                cleaning("a")
                cleaning("b")  # expect: ZL001
        """,
        },
        id="sub-pipeline-in-another-module",
        paths=["pipe.py"],
    ),
    # -- robustness ------------------------------------------------------------------------
    case(
        {
            "a.py": """
            from typing import Annotated
            from zenml import step
            from b import helper_value

            @step
            def clean(split: str) -> Annotated[dict, "cleaned"]:
                return {}
        """,
            "b.py": """
            from a import clean

            helper_value = 1
        """,
            "pipe.py": """
            from zenml import pipeline
            from b import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="import-cycle-between-modules",
    ),
    case(
        {
            "pkg/__init__.py": """
            from pkg.x import *
        """,
            "pkg/x.py": """
            from pkg import *
            from pkg.y import *
        """,
            "pkg/y.py": """
            from pkg.x import *
        """,
            "pipe.py": """
            from zenml import pipeline
            from pkg import clean

            @pipeline
            def training():
                clean("a")
                clean("b")
        """,
        },
        id="star-import-cycle-with-a-missing-name",
    ),
    case(
        {
            "a.py": """
            from b import clean
        """,
            "b.py": """
            from a import clean
        """,
            "pipe.py": """
            from zenml import pipeline
            from a import clean

            @pipeline
            def training():
                clean("a")
                clean("b")
        """,
        },
        id="import-cycle-with-no-definition",
    ),
    case(
        {
            "steps.py": STEPS,
            "broken.py": """
            def load() -> dict
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="syntax-error-in-a-module-not-reported",
        paths=["pipe.py"],
        select=["ZL000", "ZL001"],
    ),
    case(
        {
            "steps.py": STEPS,
            "broken.py": """
            from zenml import step

            @step
            def load() -> dict
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean
            from broken import load

            @pipeline
            def training():
                load()
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="imported-module-with-syntax-error",
        paths=["pipe.py"],
        select=["ZL000", "ZL001"],
    ),
    case(
        {
            "steps.py": STEPS,
            "broken.py": """
            from zenml import step

            @step
            def load() -> dict  # expect: ZL000
                return {}
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="syntax-error-in-a-reported-module",
        select=["ZL000", "ZL001"],
    ),
    case(
        {
            "steps.py": STEPS,
            "pipelines/__init__.py": "",
            "pipelines/train.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def training():
                clean("a")
                clean("b")  # expect: ZL001
        """,
            "other.py": """
            from zenml import pipeline
            from steps import clean

            @pipeline
            def other():
                clean("a")
                clean("b")  # expect: ZL001
        """,
        },
        id="only-files-under-given-paths-are-reported",
        paths=["pipelines"],
    ),
]


@pytest.mark.parametrize(("sources", "paths", "select"), CASES)
def test_model(check, sources: dict[str, str], paths: list[str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    expected = [f for f in expected_markers(sources) if _reported(f[0], paths)]
    assert check(sources, select=select, paths=paths) == expected
