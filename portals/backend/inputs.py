"""Reading input, one way for every entry point: the JSON loader and the YAML/JSON document loader
with their limits, the bounded types models use, and one refusal for a pydantic validation error
that names the field path and why.

Every body, form, query, fault rule, seed document and snapshot is read through here (the web layer
adds only the HTTP around it, ``portals.web.requests_in``), so no parser raises past these limits:

- **nesting**: at most ``MAX_DEPTH`` (64) levels of arrays and objects. JSON is measured before it
  is parsed and YAML while it is composed, since Python's ``json`` and PyYAML's composer recurse and
  a deeper document would raise ``RecursionError``;
- **JSON as I-JSON** (RFC 7493): no member name twice in an object, no ``NaN`` or ``Infinity``,
  numbers that fit an IEEE 754 double with integers within ±(2**53 − 1), strings without lone
  surrogates, UTF-8 only;
- **YAML**: the same values, keys that are text, at most ``MAX_YAML_NODES`` values, and at most
  ``MAX_ALIASES`` aliases that together add at most ``MAX_ALIAS_NODES`` values when expanded; an
  alias to a node that contains it (a cycle) is refused. A "billion laughs" document is refused
  while it is composed, before anything is expanded;
- **sizes**: each caller's byte limit (portal bodies 64 KiB, control API 16 MiB, documents 1 MB);
- **dates and durations**: ``Instant`` and ``Duration`` take what ``portals.backend.clock`` bounds
  (1970-01-01 .. 9000-12-31, at most 100 years).

Plain Python: no web framework. Refusals are ``InvalidInput`` unless a caller names another code
(documents: ``InvalidSeed``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from portals.backend.clock import MAX_DURATION, duration_of_days, parse_instant, read_duration
from portals.backend.errors import Refusal

#: Levels of arrays and objects (or YAML sequences and mappings) a value may nest.
MAX_DEPTH = 64
#: I-JSON's interoperable integers: ±(2**53 − 1).
MAX_INTEGER = 2**53 - 1
#: YAML: values per document (written out), aliases, and the values aliases may add once expanded.
MAX_YAML_NODES = 20_000
MAX_ALIASES = 100
MAX_ALIAS_NODES = 10_000
#: Seed documents, in bytes.
MAX_DOCUMENT_BYTES = 1_000_000

_INTEGERS = f"integers from -{MAX_INTEGER} to {MAX_INTEGER}"

M = TypeVar("M", bound=BaseModel)


class InputError(ValueError):
    """A value the loaders refuse, with the path where it is (``()`` for the whole input)."""

    def __init__(self, why: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(why)
        self.why = why
        self.path = path

    def text(self, what: str) -> str:
        return f"{path_text(self.path)}: {self.why}" if self.path else f"{what} {self.why}"


# --- field paths and the refusal of a validation error ------------------------------------------------
#: Parts of a pydantic error location that name a schema, not a field: ``str`` and ``int`` of a union,
#: ``function-after[...]``, ``constrained-str`` and the like.
_SCHEMA_TAGS = frozenset({"str", "int", "float", "bool", "none", "dict", "list", "datetime", "timedelta"})
_SCHEMA_PREFIXES = ("function-", "constrained-", "lax-or-strict", "json-or-python", "nullable", "literal[")


def _is_schema_tag(part: str) -> bool:
    return part in _SCHEMA_TAGS or part.startswith(_SCHEMA_PREFIXES) or "[" in part


def path_text(loc: tuple[Any, ...]) -> str:
    """A field path as messages write it: ``organisations[1].membership``, ``properties.title``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and not _is_schema_tag(part):
            text += f".{part}" if text else part
    return text


_TYPE_WORDS = {
    "string_type": "must be a string",
    "string_sub_type": "must be a string",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "int_parsing": "must be an integer",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dataclass_type": "must be an object",
    "list_type": "must be a list",
}


def why(error: Any) -> str:
    """What one pydantic error says, in the project's words (``is required``, ``must be one of …``)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",") if o.strip(" '")]
        return f"must be one of {', '.join(options)}"
    loc = tuple(error.get("loc") or ())
    if kind == "missing" or (
        error.get("input") is None and kind in _TYPE_WORDS and loc and isinstance(loc[-1], str)
    ):
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind]
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "is required"
        return f"must be at least {ctx['min_length']} characters"
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters"
    if kind == "too_long":
        return f"must have at most {ctx['max_length']} items"
    if kind == "too_short":
        return f"must have at least {ctx['min_length']} items"
    bounds = {
        "greater_than_equal": ("ge", "{} or more"),
        "less_than_equal": ("le", "{} or less"),
        "greater_than": ("gt", "more than {}"),
        "less_than": ("lt", "less than {}"),
    }
    if kind in bounds:
        key, words = bounds[kind]
        return "must be " + words.format(ctx.get(key))
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[:1].lower() + message[1:]


def problems(error: ValidationError, label: str = "the body") -> list[str]:
    """Each field of a validation error with why, in order; the alternatives of a union on one
    path joined (``seed: must be a string or an integer``). Problems of the whole input are
    ``label: why``."""
    found: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        found.setdefault(path_text(tuple(item["loc"])), []).append(why(item))
    texts = []
    for path, reasons in found.items():
        reasons = list(dict.fromkeys(reasons))
        if len(reasons) > 1 and all(r.startswith("must be ") for r in reasons):
            reasons = [reasons[0], *(r.removeprefix("must be ") for r in reasons[1:])]
            joined = " or ".join(reasons)
        else:
            joined = "; ".join(reasons)
        texts.append(f"{path or label}: {joined}")
    return texts


def refusal_of(error: ValidationError, code: str = "InvalidInput", label: str = "the body") -> Refusal:
    """One refusal for a validation error: every problem, ``path: why``, joined by ``; ``."""
    return Refusal(code, detail="; ".join(problems(error, label)))


def parse_model(
    model: type[M],
    data: Any,
    code: str = "InvalidInput",
    label: str = "the body",
    context: dict[str, Any] | None = None,
) -> M:
    """``data`` (a JSON object) validated by ``model``; raises ``Refusal`` ``code`` naming each bad
    field's path, or saying that ``label`` must be a JSON object."""
    if not isinstance(data, dict):
        raise Refusal(code, detail=f"{label} must be a JSON object")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise refusal_of(error, code, label) from None


# --- bounded values for models ------------------------------------------------------------------------
def _instant(value: Any) -> datetime:
    if isinstance(value, (datetime, date, str)):
        try:
            return parse_instant(value)
        except Refusal as refusal:
            raise ValueError(_detail(refusal)) from None
    raise ValueError("must be an ISO-8601 date or time such as 2021-03-04")


def _duration(value: Any) -> timedelta:
    """An ISO-8601 duration or a number of days, from zero to 100 years."""
    wanted = "must be an ISO-8601 duration such as P3D, or a number of days"
    try:
        if isinstance(value, str):
            delta = read_duration(value)
            if delta is None:
                raise ValueError(f"{wanted}, not {_shown(value)}")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            delta = duration_of_days(value)
        elif isinstance(value, timedelta):
            delta = value
        else:
            raise ValueError(wanted)
    except Refusal as refusal:
        raise ValueError(_detail(refusal)) from None
    if delta < timedelta(0):
        raise ValueError("must be zero or more")
    if delta > MAX_DURATION:
        raise ValueError("must be at most 100 years (P36500D)")
    return delta


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 64 else f"{text[:64]}…"


def _detail(refusal: Refusal) -> str:
    return str(refusal.params.get("detail", refusal.message()))


#: An instant from ISO-8601 text or a date, within the clock's bounds (1970 .. 9000, UTC).
Instant = Annotated[datetime, BeforeValidator(_instant)]
#: A duration, ISO-8601 (``P3D``) or a number of days, from zero to 100 years.
Duration = Annotated[timedelta, BeforeValidator(_duration)]


def _iso_duration(value: Any) -> timedelta:
    if not isinstance(value, str):
        raise ValueError("must be an ISO-8601 duration such as P3D or PT12H")
    return _duration(value)


#: A duration written in ISO-8601 only (``P3D``, ``PT12H``), from zero to 100 years.
IsoDuration = Annotated[timedelta, BeforeValidator(_iso_duration)]


# --- JSON --------------------------------------------------------------------------------------------
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON ``text``, counted without parsing it: escapes and
    strings dropped, then the brackets left counted. Linear time, no recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        else:
            depth -= 1
    return deepest


class _Marker:
    """What the JSON parser hands back for a value I-JSON refuses, so that the check after it can say
    where the value is."""

    def __init__(self, why: str) -> None:
        self.why = why


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Marker:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    seen: set[str] = set()
    twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
    return _Marker(f"has the member {twice[:64]!r} twice")


def _integer(text: str) -> int | _Marker:
    if len(text.lstrip("-")) > 16:  # never converted: a 5000-digit number costs, and is out of range
        return _Marker(f"{text[:20]}… is out of range ({_INTEGERS})")
    return int(text)


def _constant(name: str) -> _Marker:
    return _Marker(f"{name} is not a number JSON allows")


def load_json(raw: bytes | str, code: str = "InvalidInput", what: str = "the body") -> Any:
    """JSON text (UTF-8 bytes or str) as Python values, within the limits above. Raises ``Refusal``
    ``code``: ``what`` is not valid JSON, nests too deep, or has a value I-JSON refuses (named by
    its path)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise Refusal(code, detail=f"{what} is not UTF-8 text") from None
    if json_depth(text) > MAX_DEPTH:
        raise Refusal(code, detail=f"{what} nests arrays and objects deeper than {MAX_DEPTH} levels")
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_integer, parse_constant=_constant)
    except (ValueError, RecursionError) as error:
        raise Refusal(code, detail=f"{what} is not valid JSON ({str(error).splitlines()[0][:200]})") from None
    try:
        check_values(data)
    except InputError as error:
        raise Refusal(code, detail=error.text(what)) from None
    return data


def _walk(data: Any) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    """Every value in ``data`` with its path, without recursion."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        yield value, path
        if isinstance(value, dict):
            stack.extend((item, (*path, key)) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(value))))


def check_values(data: Any) -> None:
    """I-JSON's values (RFC 7493): finite numbers, integers within ±(2**53 − 1), text keys, strings
    without lone surrogates, nothing but JSON's types. Raises ``InputError`` with the path."""
    for value, path in _walk(data):
        if isinstance(value, _Marker):
            raise InputError(value.why, path)
        if isinstance(value, str) or value is None or isinstance(value, bool):
            if isinstance(value, str) and _SURROGATE.search(value):
                raise InputError("has a lone surrogate (\\ud800-\\udfff), which is no Unicode text", path)
        elif isinstance(value, int):
            if not -MAX_INTEGER <= value <= MAX_INTEGER:
                raise InputError(f"{value} is out of range ({_INTEGERS})", path)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InputError(f"{value} is not a finite number", path)
        elif isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):
                    raise InputError(f"has the key {key!r}, which is not text", path)
                if _SURROGATE.search(key):
                    raise InputError("has a key with a lone surrogate, which is no Unicode text", path)
        elif not isinstance(value, list):
            raise InputError(f"is a {type(value).__name__}, which is not a JSON value", path)


# --- YAML and documents -----------------------------------------------------------------------------
try:  # LibYAML's parser, five times faster than the pure-Python one (which PyYAML falls back to)
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML's wheels carry LibYAML
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _Parser.__init__(self)


_TOO_DEEP = f"nests sequences and mappings deeper than {MAX_DEPTH} levels"


class _BoundedLoader(Composer, _Parser, SafeConstructor, Resolver):
    """A safe loader with the limits above, checked while the document is composed (PyYAML's
    composer, over LibYAML's events): depth, aliases and what they expand to, cycles, and keys given
    twice in a mapping. Nothing is constructed before the whole document has passed."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        Composer.__init__(self)
        self._depth = 0
        self._nodes = 0
        self._aliases = 0
        self._alias_nodes = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            anchor = self.peek_event().anchor
            node = self.anchors.get(anchor)
            if node is not None:
                self._aliases += 1
                if self._aliases > MAX_ALIASES:
                    raise InputError(f"has more than {MAX_ALIASES} aliases")
                if id(node) not in self._sizes:
                    raise InputError(f"has an alias *{anchor} inside the value it names (a cycle)")
                self._alias_nodes += self._sizes[id(node)]
                if self._alias_nodes > MAX_ALIAS_NODES:
                    raise InputError(f"has aliases that expand to more than {MAX_ALIAS_NODES} values")
            return super().compose_node(parent, index)
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH:
            raise InputError(_TOO_DEEP)
        if self._nodes > MAX_YAML_NODES:
            raise InputError(f"has more than {MAX_YAML_NODES} values")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = self._size(node)
        return node

    def _size(self, node: Node) -> int:
        if isinstance(node, SequenceNode):
            return 1 + sum(self._sizes.get(id(child), 1) for child in node.value)
        if isinstance(node, MappingNode):
            return 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        return 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise ConstructorError(
                        None, None, f"found the key {key_node.value[:64]!r} twice", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


def _json_ready(data: Any) -> Any:
    """YAML's values as JSON's: dates and times as ISO-8601 text; refuses keys that are not text
    and types JSON lacks (binary, sets). Iterative: a document nests at most ``MAX_DEPTH``, but its
    aliases were expanded here."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, tuple[str | int, ...]]] = [(data, root, 0, ())]
    while stack:
        value, parent, slot, path = stack.pop()
        if isinstance(value, dict):
            copy: dict[str, Any] = {}
            for key, item in value.items():
                if isinstance(key, (date, datetime)):
                    key = key.isoformat()
                if not isinstance(key, str):
                    raise InputError(f"has the key {key!r}, which is not text", path)
                copy[key] = None
                stack.append((item, copy, key, (*path, key)))
            parent[slot] = copy
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            stack.extend((item, items, index, (*path, index)) for index, item in enumerate(value))
            parent[slot] = items
        elif isinstance(value, (date, datetime)):
            parent[slot] = value.isoformat()
        else:
            parent[slot] = value
    check_values(root[0])
    return root[0]


def check_document_size(
    data: Any, code: str = "InvalidSeed", what: str = "the document", limit: int = MAX_DOCUMENT_BYTES
) -> None:
    """``load_document``'s size limit for a document given as values rather than text (a JSON
    object in a request): its size as compact UTF-8 JSON. Raises ``Refusal`` ``code`` when it is
    over ``limit`` bytes, or when it is no JSON at all."""
    try:
        size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except (TypeError, ValueError, RecursionError):
        raise Refusal(code, detail=f"{what} is not JSON data") from None
    if size > limit:
        raise Refusal(code, detail=f"{what} is over {limit} bytes")


def load_document(
    text: str | bytes, code: str = "InvalidSeed", what: str = "the document", limit: int = MAX_DOCUMENT_BYTES
) -> Any:
    """A YAML or JSON document (JSON is YAML, but its errors read better from ``json``) as JSON-ready
    values: YAML's dates and times become ISO-8601 text. The one loader of seed documents for the
    server and the CLI. Raises ``Refusal`` ``code`` for text over ``limit`` bytes, not UTF-8, not
    YAML or JSON, or beyond the limits above."""
    if len(text) > limit:
        raise Refusal(code, detail=f"{what} is over {limit} bytes")
    try:
        raw = text.decode("utf-8") if isinstance(text, bytes) else str(text)  # LibYAML takes str only
    except UnicodeDecodeError:
        raise Refusal(code, detail=f"{what} is not UTF-8 text") from None
    if raw.lstrip().startswith(("{", "[")):
        return load_json(raw, code, what)
    loader = _BoundedLoader(raw)
    try:
        data = loader.get_single_data()
        return _json_ready(data)
    except InputError as error:
        raise Refusal(code, detail=error.text(what)) from None
    except (yaml.MarkedYAMLError, ComposerError) as error:
        if "maximum nesting depth" in str(error.problem):  # LibYAML's own limit, met scanning ahead
            raise Refusal(code, detail=f"{what} {_TOO_DEEP}") from None
        raise Refusal(code, detail=f"{what} is not valid YAML or JSON ({_yaml_problem(error)})") from None
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError, TypeError) as error:
        # ValueError: a timestamp such as 2021-02-30, or an integer of thousands of digits
        problem = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise Refusal(code, detail=f"{what} is not valid YAML or JSON ({problem})") from None
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    where = error.problem_mark or error.context_mark
    place = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
    return f"{error.problem or error.context}{place}"


__all__ = [
    "MAX_ALIASES",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_INTEGER",
    "MAX_YAML_NODES",
    "Duration",
    "InputError",
    "Instant",
    "IsoDuration",
    "check_document_size",
    "check_values",
    "json_depth",
    "load_document",
    "load_json",
    "parse_model",
    "path_text",
    "problems",
    "refusal_of",
    "why",
]
