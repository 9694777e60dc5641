"""HTML manuscripts: visible text with table cells laid out as the tab-prefixed text format."""
from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "figcaption", "br", "title"}


class _TextLayout(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag == "tr":
            self.out.append("\n\n")
        elif tag in ("td", "th"):
            self.out.append("\n\t")
            self.in_cell = True
        elif tag in BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th"):
            self.in_cell = False
        elif tag == "table":
            self.out.append("\n\n")
        elif tag in BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            text = " ".join(data.split()) if self.in_cell else data.replace("\n", " ")
            self.out.append(text)


def html_to_text(data: bytes) -> bytes:
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        source = data.decode("latin-1")
    parser = _TextLayout()
    parser.feed(source)
    parser.close()
    lines = [ln.rstrip(" ") if not ln.startswith("\t") else ln for ln in "".join(parser.out).split("\n")]
    return "\n".join(lines).encode("utf-8")
