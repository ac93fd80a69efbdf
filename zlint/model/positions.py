"""Source positions, computed only for modules that have something to report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from zlint.types import Position, Span


class Positions:
    """Lazily computes LibCST positions for one module tree, once."""

    def __init__(self, tree: cst.Module) -> None:
        self._tree = tree
        self._ranges: Mapping[cst.CSTNode, CodeRange] | None = None

    @property
    def ranges(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._ranges is None:
            self._ranges = positions_of(self._tree)
        return self._ranges

    def span(self, node: cst.CSTNode) -> Span:
        code_range = self.ranges[node]
        return Span(
            Position(code_range.start.line, code_range.start.column + 1),
            Position(code_range.end.line, code_range.end.column + 1),
        )


def positions_of(tree: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """What ``MetadataWrapper(tree).resolve(PositionProvider)`` gives, for this very tree.

    The wrapper also runs a visit of the whole tree for batched providers, even when there
    are none, and that visit (which rebuilds every node) costs as much as the positions
    themselves; the provider's own code generation is called directly instead, falling back
    to the wrapper if LibCST ever changes that inner API.
    """
    try:
        provider = PositionProvider()
        provider._gen_impl(tree)
        return cast("Mapping[cst.CSTNode, CodeRange]", provider._computed)
    except Exception:
        # unsafe_skip_copy keeps node identity: the model holds nodes of this very tree.
        return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
