"""The acceptance suite's step sentences, read from the step definitions themselves: the steps
catalog (``docs/STEPS.md``, written by ``portal-harness steps``) and the closest existing steps for
a step the suite lacks (shown instead of behave's Python snippet).

Every step function may carry several patterns (English, Spanish, Italian; variants): the catalog
groups them per function, gives each parameter's allowed values (from the parse types registered
in ``steps/``, e.g. ``{offer:Offer}``: Gold, Silver, Action Pack) and a real use from
``features/``. Needs behave (the ``suite`` extra).
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATALOG = Path("docs") / "STEPS.md"
STEP_TYPES = ("given", "when", "then", "step")
#: Keywords a step is written with, per language of the feature files.
KEYWORDS = {
    "en": {"given": "Given", "when": "When", "then": "Then", "step": "Given/When/Then"},
    "es": {"given": "Dado", "when": "Cuando", "then": "Entonces", "step": "Dado/Cuando/Entonces"},
    "it": {"given": "Dato", "when": "Quando", "then": "Allora", "step": "Dato/Quando/Allora"},
}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "it": "Italian"}
#: Words only one of the three languages uses, for sentences no feature file uses yet.
LANGUAGE_WORDS = {
    "es": {"el", "los", "las", "es", "una", "y", "con", "sin", "que", "para", "en", "muestra", "crea"},
    "it": {"il", "gli", "è", "di", "che", "nel", "della", "delle", "per", "non", "crea", "mostra"},
    "en": {"the", "is", "of", "and", "with", "for", "in", "has", "are", "a", "an", "shows", "creates"},
}
#: What parse's built-in types take.
BUILTIN_TYPES = {
    "d": "a whole number",
    "n": "a whole number (may have thousands separators)",
    "f": "a decimal number",
    "w": "one word (letters, digits, underscores)",
    "S": "text without spaces",
}
PLACEHOLDER = re.compile(r"\{(?P<name>[A-Za-z_]\w*)?(?::(?P<type>[^}]+))?\}")
QUOTED = re.compile(r'"[^"]*"')
NUMBER = re.compile(r"^\d+([.,]\d+)?$")


# --- the step definitions ------------------------------------------------------------------------------
def suite_root(start: Path | None = None) -> Path | None:
    """The folder holding the suite's ``steps/`` and ``environment.py``: ``start`` (default the
    current folder) if it has them, else the checkout this package was installed from."""
    for candidate in (start or Path.cwd(), Path(__file__).resolve().parent.parent):
        if (candidate / "steps").is_dir() and (candidate / "environment.py").is_file():
            return candidate.resolve()
    return None


def registered_matchers() -> list[Any]:
    """The step definitions behave knows in this process. behave's runner keeps the registry it
    imported (``behave.runner.the_step_registry``), which the step decorators fill, while
    ``reset_runtime`` puts a fresh one in ``behave.step_registry.registry``: both are read."""
    from behave import runner, step_registry

    found: dict[int, Any] = {}
    for registry in (getattr(runner, "the_step_registry", None), step_registry.registry):
        if registry is not None:
            for kind in STEP_TYPES:
                found.update((id(matcher), matcher) for matcher in registry.steps[kind])
    return list(found.values())


def load_matchers(root: Path) -> list[Any]:
    """Every step definition (behave's step matchers) of ``root/steps``, loaded as behave loads them
    (into behave's global step registry, once per process)."""
    from behave.runner_util import load_step_modules

    if not registered_matchers():
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        load_step_modules([str(root / "steps")])
    return registered_matchers()


# --- the closest steps to a sentence the suite lacks ------------------------------------------------
def _words(text: str) -> list[str]:
    return text.lower().replace(",", " ,").split()


def _sentence_words(text: str) -> list[str]:
    """A written step as words: quoted texts as one ``"…"``, numbers as ``#``."""
    words = _words(QUOTED.sub('"…"', text))
    return ["#" if NUMBER.match(word) else word for word in words]


def _pattern_words(pattern: str) -> list[str]:
    """A step pattern as words: ``"{x}"`` as ``"…"``, ``{n:d}`` as ``#``, other fields as ``<x>``."""

    def field(match: re.Match[str]) -> str:
        kind = match.group("type") or ""
        return " # " if kind in ("d", "n", "f") else f" <{match.group('name') or kind}> "

    return _words(QUOTED.sub('"…"', PLACEHOLDER.sub(field, pattern)))


def closest_steps(
    text: str,
    step_type: str,
    matchers: Iterable[Any],
    limit: int = 3,
    cutoff: float = 0.3,
    languages: Collection[str] | None = None,
) -> list[str]:
    """The registered step sentences closest to ``text`` (a step as written, without its keyword),
    best first, each as ``Keyword pattern`` (``Then "{upn}" creates {count:d} support requests…``);
    words are compared as difflib compares sequences, quoted texts and numbers standing for the
    fields that take them. ``languages`` (``"es"``, ``"en"``): only sentences in those languages
    (``guess_language``), as the feature's language and English for a ``# language: es`` feature."""
    written = _sentence_words(text)
    scored: list[tuple[float, str]] = []
    seen: set[str] = set()
    for matcher in matchers:
        pattern = str(matcher.pattern)
        if pattern in seen or (languages is not None and guess_language(pattern) not in languages):
            continue
        seen.add(pattern)
        matcher_words = difflib.SequenceMatcher(None, written, _pattern_words(pattern), autojunk=False)
        covered = sum(block.size for block in matcher_words.get_matching_blocks()) / max(len(written), 1)
        letters = difflib.SequenceMatcher(None, text.lower(), pattern.lower()).ratio()
        score = 0.4 * matcher_words.ratio() + 0.4 * covered + 0.2 * letters
        if matcher.step_type in (step_type, "step"):
            score += 0.05
        if score >= cutoff:
            kind = matcher.step_type if matcher.step_type != "step" else step_type
            keyword = KEYWORDS[guess_language(pattern)].get(kind, "*")
            scored.append((score, f"{keyword} {pattern}"))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [line for _, line in scored[:limit]]


# --- parameter types -------------------------------------------------------------------------------
def _alternatives(regex: str) -> list[str] | None:
    """A parse type's pattern as the phrases it takes (``\\d+`` shown as ``N``, a date
    ``\\d{4}-\\d\\d-\\d\\d`` as ``YYYY-MM-DD``, ``incidents?`` as ``incident(s)``, a quoted text as
    ``"…"``), or None when it is not a plain list of phrases."""
    parts, depth, current = [], 0, ""
    index = 0
    while index < len(regex):
        char = regex[index]
        if char == "\\" and index + 1 < len(regex):
            current += regex[index : index + 2]
            index += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    parts.append(current)
    phrases = []
    for part in parts:
        phrase = part.replace(r"\d{4}-\d\d-\d\d", "YYYY-MM-DD").replace(r"\d+", "N")
        phrase = re.sub(r"(\w)\?", r"(\1)", phrase.replace('"[^"]+"', '"…"'))
        phrase = re.sub(r"\\(.)", r"\1", phrase)
        if re.search(r"[\[\]*+?{}^$]|\((?!\w\))", phrase):
            return None
        phrases.append(phrase)
    return phrases


@dataclass
class ParameterType:
    """A ``{name:Type}`` field's type: its allowed phrases (or a description) and its meaning."""

    name: str
    values: list[str] | None
    description: str

    def markdown_values(self) -> str:
        if self.values:
            return ", ".join(f"`{value}`" for value in self.values)
        return self.description


def parameter_types() -> dict[str, ParameterType]:
    """The custom parse types registered by ``steps/`` (after ``load_matchers``)."""
    from behave.matchers import ParseMatcher

    found: dict[str, ParameterType] = {}
    for name, converter in sorted(ParseMatcher.TYPE_REGISTRY.items()):
        pattern = getattr(converter, "pattern", None)
        doc = " ".join((converter.__doc__ or "").split())
        values = _alternatives(pattern) if isinstance(pattern, str) else None
        description = doc or (f"matches `{pattern}`" if pattern else "")
        found[name] = ParameterType(name, values, description if values else description or "")
    return found


def describe_field(kind: str | None, types: dict[str, ParameterType]) -> str:
    """What a field of a pattern takes."""
    if not kind:
        return "any text"
    if kind in types:
        return types[kind].markdown_values()
    return BUILTIN_TYPES.get(kind, f"parse type `{kind}`")


# --- uses in the feature files ----------------------------------------------------------------------
@dataclass
class Use:
    language: str
    keyword: str
    text: str
    location: str


def feature_uses(root: Path, matchers: Sequence[Any]) -> dict[int, list[Use]]:
    """For each matcher (by ``id``), the steps of ``root/features`` it runs, in file order."""
    from harness.feature_text import accept_bom

    accept_bom()
    from behave.parser import parse_file  # the BOM-tolerant one

    by_type: dict[str, list[Any]] = defaultdict(list)
    for matcher in matchers:
        by_type[matcher.step_type].append(matcher)
    uses: dict[int, list[Use]] = defaultdict(list)
    for path in sorted((root / "features").rglob("*.feature")):
        feature = parse_file(str(path))
        if feature is None:
            continue
        language = (feature.language or "en").split("-")[0]
        steps = list(feature.background.steps) if feature.background else []
        for scenario in feature.walk_scenarios(with_outlines=True):
            steps.extend(scenario.steps)
        for step in steps:
            candidates = by_type.get(step.step_type, []) + by_type.get("step", [])
            for matcher in candidates:
                if matcher.match(step.name):
                    relative = path.relative_to(root).as_posix()
                    uses[id(matcher)].append(
                        Use(language, step.keyword.strip(), step.name, f"{relative}:{step.line}")
                    )
                    break
    return uses


def guess_language(pattern: str) -> str:
    """The language of a pattern no feature file uses: by words only one language has."""
    words = set(_words(PLACEHOLDER.sub(" ", QUOTED.sub(" ", pattern))))
    scores = {language: len(words & vocabulary) for language, vocabulary in LANGUAGE_WORDS.items()}
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    return best if scores[best] else "en"


# --- the catalog -------------------------------------------------------------------------------------
@dataclass
class Sentence:
    step_type: str
    pattern: str
    language: str
    uses: list[Use] = field(default_factory=list)


@dataclass
class StepFunction:
    module: str
    line: int
    name: str
    doc: str
    sentences: list[Sentence] = field(default_factory=list)


def step_functions(root: Path) -> list[StepFunction]:
    """Every step function of ``root/steps`` with its sentences (in source order) and their uses."""
    matchers = load_matchers(root)
    uses = feature_uses(root, matchers)
    functions: dict[int, StepFunction] = {}
    for matcher in matchers:
        func = matcher.func
        code = func.__code__
        entry = functions.get(id(func))
        if entry is None:
            module = Path(code.co_filename).resolve()
            try:
                module_name = module.relative_to(root).as_posix()
            except ValueError:
                module_name = module.name
            doc = " ".join((func.__doc__ or "").split())
            entry = StepFunction(module_name, code.co_firstlineno, func.__name__, doc)
            functions[id(func)] = entry
        found = uses.get(id(matcher), [])
        languages = {use.language for use in found}
        language = languages.pop() if len(languages) == 1 else guess_language(str(matcher.pattern))
        # decorators register bottom-up: the first one written comes last
        entry.sentences.insert(0, Sentence(matcher.step_type, str(matcher.pattern), language, found))
    return sorted(functions.values(), key=lambda f: (f.module, f.line))


def _module_titles(root: Path) -> dict[str, str]:
    titles = {}
    for path in sorted((root / "steps").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r'\s*"""(.*?)(?:\n\n|""")', text, re.S)
        titles[path.relative_to(root).as_posix()] = " ".join(match.group(1).split()) if match else ""
    return titles


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_catalog(root: Path) -> str:
    """``docs/STEPS.md``: every step sentence grouped per function, per module."""
    functions = step_functions(root)
    types = parameter_types()
    titles = _module_titles(root)
    used_types = sorted(
        {
            match.group("type")
            for function in functions
            for sentence in function.sentences
            for match in PLACEHOLDER.finditer(sentence.pattern)
            if match.group("type")
        }
    )
    sentences = sum(len(f.sentences) for f in functions)
    lines = [
        "# Steps catalog",
        "",
        "Every step sentence of the acceptance suite, generated from the step definitions in `steps/`",
        "by `portal-harness steps` (or `make steps`); `tests/harness/test_steps_catalog.py` fails when",
        "this file is stale. Sentences of one step function are grouped: the English one first, then",
        "its variants and translations (Spanish features start with `# language: es`, Italian ones",
        "with `# language: it`). `{name}` takes any text (the sentences put it in quotes);",
        "`{name:Type}` takes the values listed under Parameter types. An undefined step in a run is",
        "answered with the closest sentences of this catalog.",
        "",
        f"{len(functions)} step functions, {sentences} sentences.",
        "",
        "## Parameter types",
        "",
        "| type | allowed values |",
        "|---|---|",
    ]
    for kind in used_types:
        lines.append(f"| `{kind}` | {_escape(describe_field(kind, types))} |")
    current = None
    for function in functions:
        if function.module != current:
            current = function.module
            lines += ["", f"## `{current}`", ""]
            if titles.get(current):
                lines += [titles[current], ""]
        first = function.sentences[0]
        keyword = KEYWORDS.get(first.language, KEYWORDS["en"])[first.step_type]
        lines += [f"### {keyword} {first.pattern}", ""]
        if function.doc:
            lines += [function.doc, ""]
        for sentence in function.sentences[1:]:
            keyword = KEYWORDS.get(sentence.language, KEYWORDS["en"])[sentence.step_type]
            name = LANGUAGE_NAMES.get(sentence.language, sentence.language)
            lines.append(f"- {name}: `{keyword} {sentence.pattern}`")
        fields: dict[str, str] = {}
        for sentence in function.sentences:
            for match in PLACEHOLDER.finditer(sentence.pattern):
                name = match.group("name") or match.group("type") or "?"
                fields.setdefault(name, describe_field(match.group("type"), types))
        if fields:
            lines.append(
                "- Parameters: " + "; ".join(f"`{name}`: {values}" for name, values in fields.items())
            )
        examples = [sentence.uses[0] for sentence in function.sentences if sentence.uses]
        if examples:
            for use in examples[:3]:
                lines.append(f"- Example: `{use.keyword} {use.text}` ({use.location})")
        else:
            lines.append("- Example: none in `features/` yet")
        lines.append(f"- Defined in `{function.module}:{function.line}` (`{function.name}`)")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_catalog(root: Path, check: bool = False) -> tuple[bool, str]:
    """Write ``docs/STEPS.md`` (or, with ``check``, only say whether it is up to date)."""
    path = root / CATALOG
    text = render_catalog(root)
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if check:
        if current == text:
            return True, f"{CATALOG} is up to date"
        return False, f"{CATALOG} is stale: run 'portal-harness steps' (or make steps) and commit it"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True, f"wrote {CATALOG}" + ("" if current != text else " (unchanged)")
