from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import POSITIONAL_METHOD, called_names
from zlint.model import releases
from zlint.model.constants import const_string
from zlint.model.modules import ModuleInfo
from zlint.model.scoped_names import CallSite, ScopedNames
from zlint.rules import _messages as msg
from zlint.rules import _module_scan
from zlint.rules.base import Rule
from zlint.types import Applicability, Fix, NodeReplacement

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

METHOD = "list_artifact_versions"
#: ``zenml.client.Client`` is the only public path to the client in 0.98 (there is no
#: ``zenml.Client``); ``()`` marks an instance (see :mod:`zlint.model.scoped_names`).
CLIENT_METHODS = frozenset({f"zenml.client.Client().{METHOD}"})
#: What ``ArtifactVersionFilter`` accepts as ``sort_by`` in 0.98, optionally prefixed
#: with ``asc:`` or ``desc:``; any other string raises a ``ValidationError``.
SORT_FIELDS = frozenset(
    {
        "artifact_store_id",
        "created",
        "data_type",
        "id",
        "materializer",
        "tags",
        "type",
        "updated",
        "uri",
        "user",
        "version",
        "version_number",
    }
)
PAGE_SIZE = 20


class PositionalArtifactQuery(Rule):
    """## What it does
    Finds `Client().list_artifact_versions(...)` called with a positional first argument
    that is not a sort order: usually the artifact's name, as in
    `client.list_artifact_versions("training_data")`. The client is recognised by its
    qualified name (`zenml.client.Client`), also when it is kept in a variable, a module
    constant or an annotated parameter, anywhere in the code.

    ## Why is this bad?
    The first parameter of `list_artifact_versions` is `sort_by`, not the name. A name that
    is not a sortable field fails with `ValidationError: 1 validation error for
    ArtifactVersionFilter ... You can only sort by valid fields of this resource`. The name
    filter is the `name=` keyword (or `artifact=`). The result is also paged: iterating it
    yields only the first page, 20 versions unless `size=` says otherwise.

    ## Example
    ```python
    from zenml.client import Client

    client = Client()
    for version in client.list_artifact_versions("training_data"):
        print(version.version)
    ```

    ## Use instead
    ```python
    from zenml.client import Client

    client = Client()
    for version in client.list_artifact_versions(name="training_data", size=100):
        print(version.version)
    ```

    ## ZenML versions
    `list_artifact_versions` exists from 0.51.0 (before, an `AttributeError`; not this rule's
    finding). Its first parameter is `sort_by` in every release, and `name=` works in all of
    them, so the fix does too. For a range across 0.51.0 the message names the releases that
    raise.

    ## Fix safety
    The fix turns the first argument into `name=...`. It is safe when the argument is a
    constant string that is not a sortable field (the call could not have worked as
    written); it is unsafe when the argument is a variable, which might hold a sort order.
    """

    code = "ZL014"
    name = "positional-artifact-query"
    summary = "`list_artifact_versions` given the artifact name as its `sort_by` argument"
    # Only `x.list_artifact_versions(value, ...)` can be a finding (see _first_positional).
    hints = (f"{POSITIONAL_METHOD}{METHOD}",)
    fix = Applicability.SAFE

    def check(self, ctx: RuleContext) -> None:
        if not ctx.target.any(releases.LIST_ARTIFACT_VERSIONS):
            return  # no such method: an AttributeError, ZL015's finding
        for module in _module_scan.hinted_modules(ctx, self.hints):
            names = ScopedNames(ctx.project, module)
            for site in _module_scan.calls_of(module, called_names(self.hints)):
                first = _first_positional(site.call)
                if first is None or names.qualname(site.call.func, site) not in CLIENT_METHODS:
                    continue
                message = self.problem(ctx, module, names, site, first)
                if message is not None:
                    ctx.report((module, first), message, _fix(ctx, module, names, site))

    def problem(
        self,
        ctx: RuleContext,
        module: ModuleInfo,
        names: ScopedNames,
        site: CallSite,
        first: cst.BaseExpression,
    ) -> str | None:
        known = None
        if not (isinstance(first, cst.Name) and names.is_local(first, site)):
            known = const_string(ctx.project, module, first)
        if known is not None and _is_sort_order(known):
            return None  # a sort order passed by position is what the parameter is for
        code = cst.Module([]).code_for_node(first)
        written = code if "\n" not in code and len(code) <= 40 else "..."
        where = msg.only_on(ctx.target, releases.LIST_ARTIFACT_VERSIONS)
        effect = (
            "ZenML raises `ValidationError: ... You can only sort by valid fields of this "
            f"resource`{where}"
            if known is not None
            else f"unless it holds a sortable field ZenML raises `ValidationError`{where}"
        )
        return (
            f"The first positional parameter of `{METHOD}` is `sort_by`, so `{written}` is "
            f"read as a sort order, and {effect}; filter by name with `name={written}`. "
            f"The result is one page ({PAGE_SIZE} versions by default): pass `size=` or "
            "go through the pages"
        )


def _fix(ctx: RuleContext, module: ModuleInfo, names: ScopedNames, site: CallSite) -> Fix | None:
    """``list_artifact_versions(x)`` -> ``list_artifact_versions(name=x)``: safe for a
    constant (it could never have worked), unsafe for a variable that might hold a sort
    order."""
    call = site.call
    first = call.args[0]
    later_positional = any(a.keyword is None for a in call.args[1:])
    if later_positional or any(
        a.keyword is not None and a.keyword.value == "name" for a in call.args
    ):
        return None  # `name=` would clash, or end up before a positional argument
    named = first.with_changes(
        keyword=cst.Name("name"),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    is_local = isinstance(first.value, cst.Name) and names.is_local(first.value, site)
    known = None if is_local else const_string(ctx.project, module, first.value)
    applicability = Applicability.SAFE if known is not None else Applicability.UNSAFE
    replacement = NodeReplacement(module.path, first, named)
    return Fix(applicability, "Filter by `name=` instead of sorting", (replacement,))


def _first_positional(call: cst.Call) -> cst.BaseExpression | None:
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value != METHOD:
        return None
    if call.args and call.args[0].keyword is None and not call.args[0].star:
        return call.args[0].value
    return None


def _is_sort_order(text: str) -> bool:
    # ZenML warns about an unknown prefix and sorts ascending by the field after it.
    column = text.split(":", 1)[1] if ":" in text else text
    return column in SORT_FIELDS
