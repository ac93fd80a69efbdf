"""Where a fix's new imports go in a notebook or Markdown page.

LibCST's import codemod puts a new import after the module's leading imports, or at the very
top when the module does not start with one. In a notebook's virtual module the top is the
first cell, which is often ``%pip install zenml``: an import there fails in a fresh kernel
before the cell can install anything. So a new import goes into the first cell (or block)
that already imports from ``zenml``, after its last IPython line if it has one; without
such a cell, into the first cell that does not start with an IPython line. It never goes
into a cell that starts with one, nor above one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from zlint.inputs.chunks import MARKER
from zlint.types import ImportEdit

#: The comment notebooks.py gives the placeholder of an IPython line (``pass  #<<magic 0>>``).
_MAGIC_COMMENT = "#<<magic "


Codemod = Callable[[cst.Module, Sequence[ImportEdit]], cst.Module]


def add_imports(tree: cst.Module, imports: Sequence[ImportEdit], codemod: Codemod) -> cst.Module:
    """``tree`` (a virtual module) with ``imports`` added by ``codemod`` in the right cell."""
    start = insertion_start(tree.body)
    if start is None:
        return codemod(tree, imports)
    segment = list(tree.body[start:])
    first = segment[0]
    done = list(codemod(tree.with_changes(body=segment), imports).body)
    added = len(done) - len(segment)
    if added > 0 and not _is_import(first) and _leading(first):
        # The imports went above the cell's first statement: they take over its leading
        # lines (the cell's marker comment), so that they stay inside the cell.
        done[0] = _with_leading(done[0], [*_leading(first), *_leading(done[0])])
        done[added] = _with_leading(done[added], [cst.EmptyLine()])
    return tree.with_changes(body=[*tree.body[:start], *done])


def insertion_start(body: Sequence[cst.BaseStatement]) -> int | None:
    """The index of the statement new imports go with (the codemod puts them after the
    imports that start there, or above it); None to leave the placement to the codemod.

    After the first statement that imports from ``zenml`` the new import is as safe as
    that one: the first cell from there on that does not start with an IPython line, or
    else right there. Without such a statement: the first cell after the last IPython line
    that does not start with one."""
    starts = {i for i, s in enumerate(body) if _starts_cell(s)} | {0}
    zenml = next((i for i, s in enumerate(body) if _imports_zenml(s)), None)
    if zenml is not None:
        later = [i for i in sorted(starts) if i > zenml and not _is_magic(body[i])]
        cell = max(i for i in starts if i <= zenml)
        return zenml if not _is_magic(body[cell]) or not later else later[0]
    magics = [i for i, s in enumerate(body) if _is_magic(s)]
    floor = magics[-1] + 1 if magics else 0
    plain = [i for i in sorted(starts) if i >= floor and not _is_magic(body[i])]
    if plain:
        return plain[0]
    return floor if floor < len(body) and magics else None


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _leading(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    return getattr(statement, "leading_lines", ())


_Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement


def _with_leading(statement: _Statement, lines: Sequence[cst.EmptyLine]) -> _Statement:
    return statement.with_changes(leading_lines=list(lines))


def _starts_cell(statement: cst.BaseStatement) -> bool:
    lines = getattr(statement, "leading_lines", ())
    return any(line.comment is not None and MARKER.match(line.comment.value) for line in lines)


def _is_magic(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    comment = statement.trailing_whitespace.comment
    return comment is not None and comment.value.startswith(_MAGIC_COMMENT)


def _imports_zenml(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and small.module is not None
            and _dotted(small.module).split(".")[0] == "zenml"
        ):
            return True
        if isinstance(small, cst.Import) and any(
            _dotted(alias.name).split(".")[0] == "zenml" for alias in small.names
        ):
            return True
    return False


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""
