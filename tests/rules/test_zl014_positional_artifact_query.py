"""ZL014 positional-artifact-query: `Client().list_artifact_versions("name")`."""

from __future__ import annotations

import pytest
from conftest import check_tree, expected_markers, write_project


def one(text: str) -> dict[str, str]:
    return {"query.py": text}


CLEAN = [
    pytest.param(
        one("""
        from zenml.client import Client

        Client().list_artifact_versions(name="features")
        Client().list_artifact_versions(artifact="features", size=100)
    """),
        id="keywords",
    ),
    pytest.param(
        one("""
        from zenml.client import Client

        Client().list_artifact_versions("desc:created")
        Client().list_artifact_versions("version_number", name="features")
    """),
        id="a-sort-order-by-position",
    ),
    pytest.param(
        one("""
        class Store:
            def list_artifact_versions(self, name):
                return [name]

        Store().list_artifact_versions("features")
        store = Store()
        store.list_artifact_versions("features")
    """),
        id="another-class-with-the-method",
    ),
    pytest.param(
        one("""
        from zenml.client import Client

        def query(client):
            return client.list_artifact_versions("features")
    """),
        id="unannotated-parameter",
    ),
    pytest.param(
        one("""
        from zenml.client import Client
        from mystore import Store

        def query(flag: bool):
            client = Client()
            if flag:
                client = Store()
            return client.list_artifact_versions("features")
    """),
        id="variable-bound-to-different-things",
    ),
    pytest.param(
        one("""
        from zenml.client import Client

        def query(Client):
            return Client().list_artifact_versions("features")
    """),
        id="parameter-shadows-the-import",
    ),
    pytest.param(
        one("""
        from zenml import Client

        Client().list_artifact_versions("features")
    """),
        id="zenml-Client-does-not-exist-in-0.98",
    ),
    pytest.param(
        one("""
        from zenml.client import Client

        Client().list_artifacts("features")
        Client().list_artifact_versions(*["features"])
    """),
        id="other-methods-and-unpacking",
    ),
]

FINDINGS = [
    pytest.param(
        one("""
        from zenml.client import Client

        versions = Client().list_artifact_versions("features")  # expect: ZL014
    """),
        id="module-level-call",
    ),
    pytest.param(
        one("""
        from zenml.client import Client

        def latest():
            client = Client()
            return client.list_artifact_versions("features")[0]  # expect: ZL014
    """),
        id="client-in-a-local-variable",
    ),
    pytest.param(
        {
            "shared.py": """
            from zenml.client import Client

            client = Client()
            """,
            "query.py": """
            from shared import client

            def latest(names):
                for name in names:
                    client.list_artifact_versions(name)  # expect: ZL014
            """,
        },
        id="client-from-another-module-and-a-variable-argument",
    ),
    pytest.param(
        {
            "mylib/__init__.py": """
            from zenml.client import Client

            from mylib import shared
            """,
            "mylib/shared.py": """
            import zenml.client

            client = zenml.client.Client()
            """,
            "query.py": """
            import mylib
            from mylib import shared

            mylib.Client().list_artifact_versions("a")  # expect: ZL014
            shared.client.list_artifact_versions("b")  # expect: ZL014
            mylib.shared.client.list_artifact_versions("c")  # expect: ZL014
            """,
        },
        id="re-exported-client-and-module-attribute",
    ),
    pytest.param(
        one("""
        import zenml.client
        import zenml as zn

        zenml.client.Client().list_artifact_versions("a")  # expect: ZL014
        zn.client.Client().list_artifact_versions("b")  # expect: ZL014
    """),
        id="dotted-module-paths",
    ),
    pytest.param(
        one("""
        from zenml.client import Client as ZenClient

        def latest(client: ZenClient):
            return client.list_artifact_versions(
                "features",  # expect: ZL014
                size=1,
            )
    """),
        id="annotated-parameter-with-aliased-import",
    ),
    pytest.param(
        one("""
        def latest():
            from zenml.client import Client

            return Client().list_artifact_versions("features")  # expect: ZL014
    """),
        id="import-inside-the-function",
    ),
    pytest.param(
        one("""
        from zenml import step
        from zenml.client import Client

        @step
        def compare() -> int:
            return len(Client().list_artifact_versions("features"))  # expect: ZL014
    """),
        id="inside-a-step",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL014"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL014"]) == expected_markers(sources)


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        pytest.param(
            '"features"',
            "The first positional parameter of `list_artifact_versions` is `sort_by`, so "
            '`"features"` is read as a sort order, and ZenML raises `ValidationError: ... You '
            "can only sort by valid fields of this resource`; filter by name with "
            '`name="features"`. The result is one page (20 versions by default): pass '
            "`size=` or go through the pages",
            id="literal",
        ),
        pytest.param(
            "artifact_name",
            "so `artifact_name` is read as a sort order, and unless it holds a sortable field "
            "ZenML raises `ValidationError`; filter by name with `name=artifact_name`",
            id="variable",
        ),
    ],
)
def test_message(tmp_path, argument: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    source = (
        "from zenml.client import Client\n"
        "def get(artifact_name):\n"
        f"    return Client().list_artifact_versions({argument})\n"
    )
    write_project(tmp_path, {"query.py": source})
    [diagnostic] = check_tree(tmp_path, select=["ZL014"]).diagnostics
    assert expected in diagnostic.message
