"""Reading a portal page's HTML the way a person reads it: its links, its forms, the text of its
elements. Only the standard library's parser; no rule of the rulebook lives here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements that never have content or an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    """One element: its tag, attributes, children (elements and text, in order) and parent."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    def text(self) -> str:
        """Its text as a reader sees it: every piece of text inside, whitespace collapsed."""
        pieces: list[str] = []
        for child in self.children:
            pieces.append(child if isinstance(child, str) else f" {child.text()} ")
        return " ".join("".join(pieces).split())

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Elements with this tag (any when None) whose attributes have these values
        (``data_testid="x"`` names ``data-testid``)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and all(element.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def ancestor(self, tag: str) -> Element | None:
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.children.append(
            Element(tag, {name: value or "" for name, value in attrs}, parent=self.open)
        )

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # an end tag with no start tag is ignored
            self.open = node.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse_html(text: str) -> Element:
    """The document's tree; its root is a ``#document`` element."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def link(document: Element, label: str) -> Element:
    """The one link (``<a>``) whose text is ``label``."""
    found = [a for a in document.find_all("a") if a.text() == label]
    shown = [a.text() for a in document.find_all("a")]
    assert len(found) == 1, f"expected one link {label!r} on the page, found {len(found)} among {shown}"
    return found[0]


def form_fields(form: Element) -> dict[str, str]:
    """What a browser sends for a form's hidden and text fields (buttons are added by the click)."""
    return {
        element.attrs["name"]: element.attrs.get("value", "")
        for element in form.find_all("input")
        if "name" in element.attrs and element.attrs.get("type", "text") not in ("submit", "button")
    }
