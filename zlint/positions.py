"""Source positions, computed only for modules that have something to report."""

from __future__ import annotations

from collections.abc import Mapping

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
            # unsafe_skip_copy keeps node identity: the model holds nodes of this very tree.
            wrapper = MetadataWrapper(self._tree, unsafe_skip_copy=True)
            self._ranges = wrapper.resolve(PositionProvider)
        return self._ranges

    def span(self, node: cst.CSTNode) -> Span:
        code_range = self.ranges[node]
        return Span(
            Position(code_range.start.line, code_range.start.column + 1),
            Position(code_range.end.line, code_range.end.column + 1),
        )
