"""A step's outputs as ZenML sees them inside a running step: whether it has any, their
keys (the custom name after substitution, or ``output`` / ``output_i``), which keys a
metadata call may name, and which target a ``log_metadata`` call selects."""

from __future__ import annotations

import enum
import re
import string

import libcst as cst

from zlint.model import cst_utils
from zlint.model.definitions import StepDef
from zlint.model.fast_visit import fast_visit
from zlint.model.metadata import MetadataCall

# -- output keys ---------------------------------------------------------------------------


def has_no_outputs(step: StepDef) -> bool:
    """ZenML gives a step no outputs when it is annotated ``-> None``, or unannotated and
    every ``return`` returns nothing (``parse_return_type_annotations``)."""
    returns = step.function.returns
    if returns is not None:
        annotation = returns.annotation
        return cst_utils.is_name(annotation, "None") or cst_utils.literal_string(annotation) == (
            "None"
        )
    finder = _ValueReturns(step.function)
    fast_visit(step.function, finder)
    return not finder.found


class _ValueReturns(cst.CSTVisitor):
    """Finds a ``return`` with a value other than ``None`` outside nested functions."""

    def __init__(self, function: cst.FunctionDef) -> None:
        self.function = function
        self.found = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.function

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and not cst_utils.is_name(node.value, "None"):
            self.found = True


def local_names(step: StepDef) -> frozenset[str]:
    """Names the step function binds itself (parameters, assignments, imports, loop and
    ``with`` targets): a constant of the same name at module level is not what they hold."""
    params = step.function.params
    found = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.add(star.name.value)
    binder = _Bindings()
    fast_visit(step.function.body, binder)
    return frozenset(found | binder.names)


class _Bindings(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def _add(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._add(element.value)
        elif isinstance(target, cst.StarredElement):
            self._add(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._add(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._add(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._add(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._add(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._add(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._add(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self.names.add(cst_utils.alias_name(node).split(".")[0])

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False


def output_count(step: StepDef) -> int:
    return 0 if has_no_outputs(step) else len(step.outputs)


class KeyMatch(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    #: A templated or computed output name could turn out to be this text.
    UNKNOWN = "unknown"


def match_output(step: StepDef, text: str) -> KeyMatch:
    """Whether ``text`` is the key of one of ``step``'s outputs inside the running step."""
    if has_no_outputs(step):
        return KeyMatch.INVALID
    unknown = False
    for output in step.outputs:
        name = output.custom_name
        if output.is_dynamic:
            unknown = True
        elif name is None or not is_template(name):
            if text == formatted_key(output.key):
                return KeyMatch.VALID
        elif text != name:  # a template's own text is never its key
            pattern = _template_pattern(name)
            unknown = unknown or pattern is None or pattern.fullmatch(text) is not None
    return KeyMatch.UNKNOWN if unknown else KeyMatch.INVALID


def is_template(name: str) -> bool:
    """Whether ZenML's formatting of ``name`` fills in placeholders (or fails)."""
    try:
        return any(field is not None for _, field, _, _ in string.Formatter().parse(name))
    except ValueError:
        return True


def _template_pattern(name: str) -> re.Pattern[str] | None:
    """What ``name.format(**substitutions)`` can produce, as ZenML formats every custom
    name: each ``{field}`` may become any text. None when the name cannot be formatted."""
    pieces: list[str] = []
    try:
        for literal, field, _, _ in string.Formatter().parse(name):
            pieces.append(re.escape(literal))
            if field is not None:
                pieces.append(".*")
    except ValueError:
        return None
    return re.compile("".join(pieces), re.DOTALL)


def describe_outputs(step: StepDef) -> str:
    """``"`a`, `{split}_b` (after substitution)"``: the keys a call may name."""
    if has_no_outputs(step):
        return "none"
    described: list[str] = []
    for output in step.outputs:
        if output.is_dynamic:
            described.append("a name computed at run time")
        elif output.custom_name is not None and is_template(output.custom_name):
            described.append(f"`{output.custom_name}` (after substitution)")
        else:
            described.append(f"`{formatted_key(output.key)}`")
    return ", ".join(described)


def formatted_key(key: str) -> str:
    """A fixed custom name as ZenML formats it (``{{`` becomes ``{``)."""
    try:
        return key.format()
    except (ValueError, IndexError, KeyError):
        return key


def omits_output_name(call: MetadataCall) -> bool:
    """A step-context output method called without a name (``None`` and ``""`` count as
    none: ``_get_output`` tests ``if not output_name``)."""
    name = call.output_argument()
    return name is None or cst_utils.is_name(name, "None") or cst_utils.literal_string(name) == ""


# -- log_metadata's target -----------------------------------------------------------------


class Target(enum.Enum):
    """What a ``log_metadata`` call attaches its metadata to."""

    STEP = "a step run chosen by id or name"
    RUN = "a pipeline run"
    MODEL = "a model version"
    ARTIFACT = "an existing artifact version"
    OUTPUT = "an output of the running step"
    CURRENT_STEP = "the running step's run"
    UNSUPPORTED = "nothing: it raises ValueError"


_IDENTIFIERS = (
    "step_id",
    "step_name",
    "run_id_name_or_prefix",
    "artifact_version_id",
    "artifact_name",
    "artifact_version",
    "model_version_id",
    "model_name",
    "model_version",
)
_FLAGS = ("infer_artifact", "infer_model")


def log_metadata_target(call: MetadataCall) -> Target | None:
    """The branch ``zenml.log_metadata`` takes for these arguments (in its own order), or
    None when the call's arguments cannot be known statically."""
    if call.has_unpacking or len(cst_utils.positional(call.node)) > 1:
        return None
    given = passed_identifiers(call)
    flags: set[str] = set()
    for flag in _FLAGS:
        value = call.argument(flag)
        if value is None or cst_utils.is_name(value, "False"):
            continue
        if not cst_utils.is_name(value, "True"):
            return None  # a flag computed at run time
        flags.add(flag)
    return _select(given, flags)


def passed_identifiers(call: MetadataCall) -> set[str]:
    """The identifying keywords the call passes with a value other than ``None``."""
    return {
        name
        for name in _IDENTIFIERS
        if (value := call.argument(name)) is not None and not cst_utils.is_name(value, "None")
    }


def _select(given: set[str], flags: set[str]) -> Target:
    both = given.issuperset
    if "step_id" in given or both({"step_name", "run_id_name_or_prefix"}):
        return Target.STEP
    if "run_id_name_or_prefix" in given:
        return Target.RUN
    if both({"model_name", "model_version"}) or "model_version_id" in given:
        return Target.MODEL
    if "infer_model" in flags:
        return Target.MODEL
    if both({"artifact_name", "artifact_version"}) or "artifact_version_id" in given:
        return Target.ARTIFACT
    if "infer_artifact" in flags:
        return Target.OUTPUT
    return Target.UNSUPPORTED if given else Target.CURRENT_STEP


#: Keywords ``log_metadata`` accepts only together with a partner.
PARTNERS = {
    "step_name": "run_id_name_or_prefix",
    "model_name": "model_version",
    "model_version": "model_name",
    "artifact_version": "artifact_name",
    "artifact_name": "artifact_version",
}
