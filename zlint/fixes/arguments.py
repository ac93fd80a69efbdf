"""Building call arguments and parameters that read as if written by hand: keywords spaced
like the call's own, separators and trailing commas kept, comments left on their lines.
Every fix that adds an argument or a parameter builds it here."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


def with_argument(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """``call`` with ``arg`` appended (keeping a trailing comma's layout)."""
    return call.with_changes(args=[*with_comma(call.args), arg])


def with_comma(args: Sequence[cst.Arg]) -> Iterator[cst.Arg]:
    items = list(args)
    for index, arg in enumerate(items):
        if index == len(items) - 1 and arg.comma is cst.MaybeSentinel.DEFAULT:
            yield arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        else:
            yield arg


def params_with_comma(params: Sequence[cst.Param]) -> Iterator[cst.Param]:
    items = list(params)
    for index, param in enumerate(items):
        if index == len(items) - 1 and param.comma is cst.MaybeSentinel.DEFAULT:
            yield param.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        else:
            yield param


def keyword_arg_like(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Arg:
    """``name=value``, spaced like the call's other keyword arguments."""
    equal = next(
        (
            a.equal
            for a in call.args
            if a.keyword is not None and isinstance(a.equal, cst.AssignEqual)
        ),
        cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    return cst.Arg(value=value, keyword=cst.Name(name), equal=equal)


def laid_out(call: cst.Call, args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """``args`` with the layout of ``call``'s own arguments: the n-th separator stays the
    n-th, new ones copy the last (without its comment), and what followed the last argument
    (a trailing comma, the line break before ``)``) follows the new last one. A comment
    after the old last argument stays on its line."""
    old = list(call.args)
    if not args:
        return []
    tail_comma = old[-1].comma if old else cst.MaybeSentinel.DEFAULT
    tail_space = old[-1].whitespace_after_arg if old else cst.SimpleWhitespace("")
    typical = _typical_separator(call, old)
    result: list[cst.Arg] = []
    for index, arg in enumerate(args[:-1]):
        if index < len(old) - 1:
            comma = old[index].comma
            space = old[index].whitespace_after_arg
        else:
            comma, space = typical, cst.SimpleWhitespace("")
            if index == len(old) - 1:
                # The old last argument: its end-of-line comment stays with it.
                comma, tail_comma, tail_space = _keep_comment(comma, tail_comma, tail_space)
        result.append(arg.with_changes(comma=comma, whitespace_after_arg=space))
    result.append(args[-1].with_changes(comma=tail_comma, whitespace_after_arg=tail_space))
    return result


def _typical_separator(call: cst.Call, old: list[cst.Arg]) -> cst.Comma:
    if len(old) >= 2 and isinstance(old[-2].comma, cst.Comma):
        return _without_comment(old[-2].comma)
    if isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        return _without_comment(cst.Comma(whitespace_after=call.whitespace_before_args))
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _without_comment(comma: cst.Comma) -> cst.Comma:
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return comma.with_changes(whitespace_after=after)


def _keep_comment(
    separator: cst.Comma,
    tail_comma: cst.Comma | cst.MaybeSentinel,
    tail_space: cst.BaseParenthesizableWhitespace,
) -> tuple[cst.Comma, cst.Comma | cst.MaybeSentinel, cst.BaseParenthesizableWhitespace]:
    """Moves the comment after the old last argument (after its trailing comma, or before
    ``)``) into the separator that now follows that argument."""
    holder = tail_comma.whitespace_after if isinstance(tail_comma, cst.Comma) else tail_space
    after = separator.whitespace_after
    if not (
        isinstance(holder, cst.ParenthesizedWhitespace)
        and holder.first_line.comment is not None
        and isinstance(after, cst.ParenthesizedWhitespace)
    ):
        return separator, tail_comma, tail_space
    separator = separator.with_changes(
        whitespace_after=after.with_changes(first_line=holder.first_line)
    )
    plain = holder.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    if isinstance(tail_comma, cst.Comma):
        return separator, tail_comma.with_changes(whitespace_after=plain), tail_space
    return separator, tail_comma, plain
