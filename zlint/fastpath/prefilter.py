"""Cheap text tests that decide which reported files are worth a LibCST tree.

Parsing with LibCST costs ten times what CPython's own parser does, and most files of a
project (ZenML's own source has 1,400) never define or call a step. Each rule names, in its
``hints``, what a file's text must contain for the rule to find anything there: plain words
(the name of a ZenML API, which every spelling of it contains, aliases included), a call of
an API (:data:`CALLS`, :data:`POSITIONAL_METHOD`: not just its definition or a mention in
prose), or the sentinel :data:`ZENML_SYNTAX`, which stands for the syntax that makes steps
and pipelines. A file that matches none of the selected rules' hints is only syntax-checked.
A match of syntax or of a call is confirmed in the file's code by :mod:`zlint.fastpath.code_facts`
(an ``@pipeline`` in a docstring is no match).

:data:`IMPORTS_A_FACTORY` covers the one finding whose file need not contain such syntax: a
call, at import time, of a step factory that another project module defines. Nor need a
file whose steps are made by a decorator another project module defines, under a name of
its own (``@retrying``, ``@tracked("x")``): :meth:`FactoryImports.applies_a_step_maker`
follows its imports, and such a file counts as :data:`ZENML_SYNTAX`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from zlint.fastpath.code_facts import EVERYTHING, SYNTAX_WORDS, CodeFacts, code_facts

#: In a rule's ``hints``: a ``@step``/``@pipeline`` decorator (or a configured one, or any
#: decorator whose line names a step or pipeline), a ``step(...)`` call, an alias of those
#: names, or a ``BaseStep`` subclass; or (found by following imports) a decorator that
#: another project module makes steps with.
ZENML_SYNTAX = "<zenml-syntax>"
#: In a rule's ``hints``: the file imports a project module that makes steps inside a
#: function (a step factory), possibly through a package's re-export.
IMPORTS_A_FACTORY = "<imports-a-factory>"
#: A hint ``calls:name``: the file may call ``name`` (see :func:`may_call`), not just
#: mention it (a definition, a docstring, an annotation).
CALLS = "calls:"
#: A hint ``positional-method:name``: the file may call a method ``name`` with a positional
#: first argument (``client.name(value)``).
POSITIONAL_METHOD = "positional-method:"


def calls(*names: str) -> tuple[str, ...]:
    """Hints for rules that look at calls of these APIs."""
    return tuple(f"{CALLS}{name}" for name in names)


def called_names(hints: Sequence[str]) -> tuple[str, ...]:
    """The API names of a rule's :func:`calls` (or positional-method) hints."""
    return tuple(
        hint.split(":", 1)[1] for hint in hints if hint.startswith((CALLS, POSITIONAL_METHOD))
    )


_BUILTIN_NAMES = ("step", "pipeline")
#: How far re-exports (``from .factories import make``) are followed from an import.
_REEXPORT_DEPTH = 3

_IMPORT_FROM = re.compile(r"from[ \t]+(\.*)([\w.]*)[ \t]+import\b[ \t]*(\([^)]*\)|[^\r\n#]*)")
_IMPORT = re.compile(r"import[ \t]+([\w. \t,]+)")
_ASSIGNED = re.compile(r"=[ \t]*(?:[\w.]+\.)?\Z")
_ZENML_ALIAS = re.compile(r"import[ \t]+zenml(?:\.[\w.]+)?[ \t]+as[ \t]+(\w+)")
_OWNER = re.compile(r"([\w. \t]+)\.[ \t]*\Z")
_DEFINED = re.compile(r"\b(?:def|class)[ \t]+\Z")
_CLASS_STEP = re.compile(r"\bBaseStep\b|\bdef[ \t]+entrypoint\b")


#: A prefilter's findings on one text: the text tests' verdict, the code facts per hint.
Judged = tuple["tuple[bool, bool] | None", "tuple[tuple[str, CodeFacts], ...]"]


class Prefilter:
    """The hint tests of one run (its decorator names), each file's verdict computed once.

    Regexes that look around each match are slow on large files, so the names are found
    with ``str.find`` and each line holding one is judged in Python: about 18,000 lines on
    ZenML's own source.
    """

    def __init__(self, decorator_names: Iterable[str] = ()) -> None:
        short = (name.rsplit(".", 1)[-1] for name in decorator_names)
        self.names = tuple(sorted({*_BUILTIN_NAMES, *short}))
        self._verdicts: dict[str, tuple[bool, bool]] = {}
        #: text -> hint -> the code facts for it (by text first: ``known`` hands them on).
        self._facts: dict[str, dict[str, CodeFacts]] = {}

    def wants(self, text: str, hints: Sequence[str]) -> bool:
        """Whether ``text`` matches one of ``hints`` (words or :data:`ZENML_SYNTAX`): its
        text first, then, for syntax and calls, its code (:mod:`zlint.fastpath.code_facts`)."""
        for hint in hints:
            if hint == ZENML_SYNTAX:
                if self._verdict(text)[0] and self._code(text, hint).zenml_syntax:
                    return True
            elif hint.startswith(CALLS):
                name = hint[len(CALLS) :]
                if (
                    name in text
                    and may_call(text, (name,))
                    and (
                        alias_pattern(name).search(text) is not None
                        or name in self._code(text, hint).called
                    )
                ):
                    return True
            elif hint.startswith(POSITIONAL_METHOD):
                name = hint[len(POSITIONAL_METHOD) :]
                if (
                    name in text
                    and may_call(text, (name,), positional_method=True)
                    and name in self._code(text, hint).positional_methods
                ):
                    return True
            elif hint != IMPORTS_A_FACTORY and hint in text:
                return True
        return False

    def _code(self, text: str, hint: str) -> CodeFacts:
        """What the code of ``text`` holds for ``hint``; everything when :mod:`ast` cannot
        tell. The walk looks only at the lines holding the hint's words."""
        by_hint = self._facts.setdefault(text, {})
        if hint not in by_hint:
            modules = {"zenml", *_ZENML_ALIAS.findall(text)}
            needles = (*self.names, *SYNTAX_WORDS) if hint == ZENML_SYNTAX else called_names([hint])
            by_hint[hint] = code_facts(text, self.names, modules, needles) or EVERYTHING
        return by_hint[hint]

    def may_have_zenml_syntax(self, text: str) -> bool:
        """The text test of :data:`ZENML_SYNTAX` alone: generous, and never reads code."""
        return self._verdict(text)[0]

    def makes_steps_in_functions(self, text: str) -> bool:
        """An indented step decorator or call: a step made inside a function."""
        return self._verdict(text)[1]

    def makes_steps_in_function_bodies(self, text: str) -> bool:
        """:meth:`makes_steps_in_functions`, confirmed by the code: the step syntax stands
        in a function's body, not in a docstring or at an indented top level."""
        return self._verdict(text)[1] and self._code(text, ZENML_SYNTAX).in_functions

    def known(self, text: str) -> Judged:
        """What this prefilter has worked out about ``text``, to hand to another prefilter
        of the same run (see :meth:`learn`): worker processes sort the files."""
        verdict = self._verdicts.get(text)
        return verdict, tuple(self._facts.get(text, {}).items())

    def learn(self, text: str, judged: Judged) -> None:
        verdict, facts = judged
        if verdict is not None:
            self._verdicts.setdefault(text, verdict)
        by_hint = self._facts.setdefault(text, {})
        for hint, found in facts:
            by_hint.setdefault(hint, found)

    def _verdict(self, text: str) -> tuple[bool, bool]:
        if text not in self._verdicts:
            self._verdicts[text] = _judge(text, self.names)
        return self._verdicts[text]


def _judge(text: str, names: tuple[str, ...]) -> tuple[bool, bool]:
    """(has step or pipeline syntax, makes steps inside a function)."""
    syntax = ("BaseStep" in text or "entrypoint" in text) and _CLASS_STEP.search(text) is not None
    modules = {"zenml", *_ZENML_ALIAS.findall(text)}
    for name in names:
        index = text.find(name)
        while index >= 0:
            start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
            ends = [e for e in (text.find("\n", index), text.find("\r", index)) if e >= 0]
            line = text[start : min(ends) if ends else len(text)]
            kind = _usage(line, index - start, name, modules)
            if kind is not None:
                syntax = True
                if kind and line[:1] in (" ", "\t"):
                    return True, True
            index = text.find(name, index + len(name))
    return syntax, False


def _usage(line: str, column: int, name: str, modules: set[str]) -> bool | None:
    """How ``line`` uses ``name`` at ``column``: None (not as ZenML syntax), False (an
    alias or assignment), True (a decorator or call, which makes a step where it stands).
    ``modules`` are the names ZenML's package is imported as (``zenml``, ``zn``)."""
    before, after = line[:column], line[column + len(name) :]
    lead = before.lstrip(" \t")
    if "#" in before:
        return None
    if lead.startswith("@"):  # the decorator's own name must hold it: `@tracked_step`
        decorator = (lead[1:] + name + after).split("(", 1)[0]
        return True if name in decorator.rsplit(".", 1)[-1] else None
    if _is_word_char(before[-1:]) or _is_word_char(after[:1]) or _in_string(before):
        return None
    owner = _OWNER.search(before)
    if owner is not None and owner.group(1).split(".")[0].strip() not in modules:
        return None  # `client.pipeline(...)`: a method of something else
    if _DEFINED.search(before):
        return None  # `def step(self)`: a name of its own
    rest = after.lstrip(" \t")
    if rest.startswith("("):
        return True
    if rest[:2] == "as" and rest is not after and not _is_word_char(rest[2:3]):
        return False if "import" in line or lead == "" else None
    if not rest.strip() and lead == before and _ASSIGNED.search(before):
        return False  # a module-level alias: `my_step = zenml.step`
    return None


def _in_string(before: str) -> bool:
    """Whether a quote opened before this point of the line is still open (roughly)."""
    return before.count('"') % 2 == 1 or before.count("'") % 2 == 1


def _is_word_char(char: str) -> bool:
    return bool(char) and (char.isalnum() or char == "_")


ModuleFinder = Callable[[Path, str, int], "list[Path]"]
TextReader = Callable[[Path], "str | None"]


class FactoryImports:
    """Answers :data:`IMPORTS_A_FACTORY` for the files of one run by following each imported
    name, through re-exports, to the function it names, and remembering each answer."""

    def __init__(self, prefilter: Prefilter, find: ModuleFinder, read: TextReader) -> None:
        self.prefilter = prefilter
        self.find = find
        self.read = read
        self._answers: dict[tuple[Path, str | None, int], bool] = {}
        self._makers: dict[tuple[Path, str | None, int], bool] = {}
        self._imports: dict[Path, list[Import]] = {}
        #: The imports of the file asked about last (both questions read them).
        self._last: tuple[Path, int, list[Import]] | None = None
        #: ``applies_a_step_maker`` per file, with ``hash()`` of the text it is for.
        self._applies: dict[Path, tuple[int, bool]] = {}
        #: Answers for files worked out elsewhere (by the worker that sorted them), with
        #: the text they are for.
        self.known: dict[Path, tuple[str, bool]] = {}

    def __call__(self, path: Path, text: str) -> bool:
        """Whether the file at ``path`` imports a step factory from another project module
        (a function that makes steps inside its body), directly or through re-exports,
        and uses the name it is bound to."""
        known = self.known.get(path)
        if known is not None and known[0] == text:
            return known[1]
        return any(
            target != path
            and self._is_factory(target, original, _REEXPORT_DEPTH)
            and _uses(text, bound)
            for bound, target, original in self._imports_of(path, text)
        )

    def applies_a_step_maker(self, path: Path, text: str) -> bool:
        """Whether the file decorates with (``@name``) or calls a name it imports from
        another project module that makes steps with it: a decorator that wraps ``step``
        (a function whose body makes steps), or a name bound there to ``step(...)`` or
        ``functools.partial(step, ...)``. The model then decides (by qualified name)."""
        digest = hash(text)
        known = self._applies.get(path)
        if known is not None and known[0] == digest:
            return known[1]
        found = any(
            target != path
            and _applies(text, bound)
            and self._is_maker(target, original, _REEXPORT_DEPTH)
            for bound, target, original in self._imports_of(path, text)
        )
        self._applies[path] = (digest, found)
        return found

    def _imports_of(self, path: Path, text: str) -> list[Import]:
        digest = hash(text)
        if self._last is None or self._last[:2] != (path, digest):
            self._last = (path, digest, imported_names(path, text, self.find))
        return self._last[2]

    def _is_maker(self, path: Path, name: str | None, depth: int) -> bool:
        """Whether ``name`` in the module at ``path`` (any name, for None) makes steps when
        it decorates: a function whose body makes steps, or a name bound to a call of
        ``step`` (``step(...)``, ``partial(step, ...)``); re-exports followed."""
        key = (path, name, depth)
        if key not in self._makers:
            self._makers[key] = False  # an import cycle ends here
            text = self.read(path)
            self._makers[key] = text is not None and self._maker(path, text, name, depth)
        return self._makers[key]

    def _maker(self, path: Path, text: str, name: str | None, depth: int) -> bool:
        if self._is_factory(path, name, 0) or _binds_a_maker(text, name, self.prefilter.names):
            return True
        if depth == 0 or name is None:
            return False
        if path not in self._imports:
            self._imports[path] = imported_names(path, text, self.find)
        return any(
            self._is_maker(target, original, depth - 1)
            for bound, target, original in self._imports[path]
            if bound == name or (original is None and bound == "*")
        )

    def _is_factory(self, path: Path, name: str | None, depth: int) -> bool:
        """Whether ``name`` in the module at ``path`` is a step factory; for ``name`` None
        (``import module``, a star import), whether the module defines any."""
        key = (path, name, depth)
        if key not in self._answers:
            self._answers[key] = False  # an import cycle ends here
            text = self.read(path)
            self._answers[key] = text is not None and self._answer(path, text, name, depth)
        return self._answers[key]

    def _answer(self, path: Path, text: str, name: str | None, depth: int) -> bool:
        makes = self.prefilter.makes_steps_in_functions(text)
        if name is None:
            return makes
        if makes:  # the module makes steps somewhere: is it in this function?
            body = _function_body(text, name)
            if body is not None and self.prefilter.makes_steps_in_functions(body):
                return True
        if depth == 0:
            return False
        if path not in self._imports:
            self._imports[path] = imported_names(path, text, self.find)
        return any(
            self._is_factory(target, original, depth - 1)
            for bound, target, original in self._imports[path]
            if bound == name or (original is None and bound == "*")
        )


#: One import of a module: (the name it binds, "*" for a star import; the project file;
#: the name taken from that file, None for the module itself or a star import).
Import = tuple[str, Path, "str | None"]


def imported_names(path: Path, text: str, find: ModuleFinder) -> list[Import]:
    """What ``text`` imports from project files: ``from m import a as b`` gives
    ("b", m, "a") and, when ``m.a`` is a submodule, ("b", m/a.py, None); ``import m.n``
    gives ("m", m/n.py, None); ``from m import *`` gives ("*", m, None)."""
    found: list[Import] = []
    for match in _IMPORT_FROM.finditer(text):
        if not _starts_line(text, match.start()):
            continue
        level, module = len(match.group(1)), match.group(2)
        for item in match.group(3).strip("() \t").split(","):
            original, _, alias = (part.strip(" \t\r\n\\") for part in item.partition(" as "))
            if not original:
                continue
            bound = alias or original
            for target in find(path, module, level):
                found.append((bound, target, None if original == "*" else original))
            if original != "*":
                submodule = f"{module}.{original}" if module else original
                found += [(bound, target, None) for target in find(path, submodule, level)]
    for match in _IMPORT.finditer(text):
        if _starts_line(text, match.start()):
            for item in match.group(1).split(","):
                dotted, _, alias = (part.strip() for part in item.partition(" as "))
                if dotted:
                    bound = alias or dotted.split(".")[0]
                    found += [(bound, target, None) for target in find(path, dotted, 0)]
    return found


def _applies(text: str, name: str) -> bool:
    """Whether ``text`` may decorate with ``name`` (``@name``, ``@name.attr``) or call it."""
    if _uses(text, name):
        return True
    return re.search(rf"^[ \t]*@[ \t]*{re.escape(name)}\b", text, re.M) is not None


def _binds_a_maker(text: str, name: str | None, names: tuple[str, ...]) -> bool:
    """A top-level ``name = ...`` (any name, for None) whose value mentions ``step`` (or a
    configured decorator): ``retrying = step(retry=...)``, ``partial(step, ...)``."""
    bound = re.escape(name) if name is not None else r"\w+"
    words = "|".join(re.escape(n) for n in names)
    pattern = rf"^{bound}[ \t]*(?::[^=\r\n]*)?=[^=\r\n][^\r\n]*\b(?:{words})\b"
    return re.search(pattern, text, re.M) is not None


def _uses(text: str, name: str) -> bool:
    """Whether ``text`` may call ``name`` or reach into it (cheap and generous)."""
    return name == "*" or any(f"{name}{tail}" in text for tail in ("(", ".", " (", "\t("))


def _function_body(text: str, name: str) -> str | None:
    """The lines of ``def name(...)`` after its first line, up to the next line indented no
    deeper than the ``def``; None when the text defines no such function."""
    pattern = re.compile(rf"def[ \t]+{re.escape(name)}[ \t]*\(")
    match = pattern.search(text)
    while match is not None and not _starts_line(text, match.start()):
        match = pattern.search(text, match.end())
    if match is None:
        return None
    start = max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
    indent = match.start() - start
    body: list[str] = []
    for line in text[_signature_end(text, match.end() - 1) :].splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) <= indent:
            break
        body.append(line)
    return "\n".join(body)


def _signature_end(text: str, open_paren: int) -> int:
    """Where the parenthesis at ``open_paren`` closes (brackets counted, strings not)."""
    depth = 0
    for index in range(open_paren, len(text)):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def _starts_line(text: str, index: int) -> bool:
    """Only blanks stand between the line's start and ``index``."""
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return not text[start:index].strip(" \t")


def may_call(text: str, names: Sequence[str], positional_method: bool = False) -> bool:
    """Whether ``text`` may call one of ``names``: ``name(``, or an alias that could be
    called later (``name as other``, ``other = x.name``); not ``def name(``, a reference in
    prose, or an annotation. Cheap, for skipping modules whose calls a rule would walk.
    With ``positional_method``, only method calls whose first argument is positional
    (``x.name(value, ...)``) count."""
    for name in names:
        index = text.find(name)
        while index >= 0:
            end = index + len(name)
            after = text[end : end + 80].lstrip(" \t")
            start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
            before = text[start:index]
            if not _is_word_char(before[-1:]) and not _is_word_char(text[end : end + 1]):
                if positional_method:
                    if before.rstrip(" \t").endswith(".") and _positional_first(text, end):
                        return True
                elif (
                    (after.startswith("(") and not _DEFINED.search(before))
                    or (after[:2] == "as" and not _is_word_char(after[2:3]))
                    or (after[:1] in ("\r", "\n", "") and "=" in before)
                ):
                    return True
            index = text.find(name, end)
    return False


@functools.lru_cache(maxsize=64)
def alias_pattern(name: str) -> re.Pattern[str]:
    """``name as other`` or ``other = x.name``: a plain name may then stand for ``name``."""
    return re.compile(
        rf"\b{re.escape(name)}\b[ \t]+as\b|=[ \t]*[\w.]*\b{re.escape(name)}[ \t]*$", re.M
    )


_KEYWORD_OR_END = re.compile(r"\s*(?:\)|\*\*|\w+\s*=(?!=))")


def _positional_first(text: str, end: int) -> bool:
    """Whether a call opens at ``end`` with a positional first argument."""
    rest = text[end : end + 200].lstrip(" \t")
    return rest.startswith("(") and _KEYWORD_OR_END.match(rest, 1) is None
