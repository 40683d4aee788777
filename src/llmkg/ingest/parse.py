"""Stage 1: markdown catalog -> plain items with their source lines.

markdown-it-py does the markdown; this module only flattens its token stream
into what the extractor needs: headings, list items (text, links, nesting)
and tables, each with the 1-based line it starts on.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from llmkg.errors import CatalogError
from llmkg.ingest.text import plain_text


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    line: int
    start: int  # offset of the link text in the owning item's text
    end: int


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass
class Item:
    """One list item: its own paragraph text (nested lists are separate items)."""

    line: int
    end_line: int
    depth: int
    ordered: bool
    text: str
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]
    parent: int | None
    breaks: tuple[int, ...] = ()  # text offsets where a new source line starts
    children: list[int] = field(default_factory=list)
    # "item": a list item's own text; "paragraph": any other paragraph (a list
    # item's later paragraphs, text outside lists) -- read for links only
    kind: str = "item"

    def line_at(self, offset: int) -> int:
        return self.line + bisect.bisect_right(self.breaks, offset)


@dataclass(frozen=True)
class Cell:
    text: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    line: int
    headings: tuple[Heading, ...]
    header: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass
class Catalog:
    path: Path
    name: str
    items: list[Item]
    tables: list[Table]
    headings: list[Heading]
    repaired_lines: int = 0  # lines whose mojibake ftfy repaired
    context: tuple[Heading, ...] = ()  # headings in force before the text (for a chunk)


def read_text(path: Path, *, limit: int | None = None) -> tuple[str, int]:
    """The catalog's text with mojibake repaired, and how many lines changed.

    At most `limit` bytes (default llmkg.files.MAX_CATALOG_MIB MiB) are read: a
    larger file, or one that never ends (/dev/zero), is refused.
    """
    from llmkg.files import MAX_CATALOG_MIB, MIB, read_at_most

    limit = MAX_CATALOG_MIB * MIB if limit is None else limit
    try:
        raw = read_at_most(Path(path), limit)
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror}", file=str(path),
                           hint="check the path") from None
    if raw is None:
        raise CatalogError(f"catalog is larger than {limit / MIB:g} MiB", file=str(path),
                           hint="check the path, or raise the limit with --max-catalog-mib "
                                "(or $LLMKG_MAX_CATALOG_MIB)")
    return decode_text(raw, file=str(path))


def decode_text(raw: bytes, *, file: str) -> tuple[str, int]:
    """A catalog's bytes as text with mojibake repaired, and how many lines changed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError("catalog is not UTF-8 text", file=file, line=line,
                           hint="save the file as UTF-8 and retry") from None
    lines = text.split("\n")
    # Repair per line so line numbers stay exactly those of the file.
    fixed = [_repair(line) if not line.isascii() else line for line in lines]
    changed = sum(1 for a, b in zip(lines, fixed) if a != b)
    return "\n".join(fixed), changed


_repaired: dict[str, str] = {}  # the versions of a catalog's history share most lines


def _repair(line: str) -> str:
    fixed = _repaired.get(line)
    if fixed is None:
        import ftfy

        fixed = ftfy.fix_text(line)
        if len(_repaired) < 1 << 15 and len(line) < 1 << 12:
            _repaired[line] = fixed
    return fixed


def _markdown():
    """One CommonMark parser with tables for every parse (making one costs ~2 ms)."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark").enable("table")
    return _MD


_MD = None


def parse_catalog(path: Path | str) -> Catalog:
    path = Path(path)
    text, repaired = read_text(path)
    catalog = parse_text(text, path=path)
    catalog.repaired_lines = repaired
    return catalog


def parse_text(text: str, *, path: Path | str = "<text>", first_line: int = 1,
               headings: tuple[Heading, ...] = ()) -> Catalog:
    """Parse markdown text; `first_line` and `headings` place a chunk inside its catalog."""
    tokens = _markdown().parse(plain_text(text))
    if first_line != 1:
        for tok in tokens:
            if tok.map:
                tok.map = [tok.map[0] + first_line - 1, tok.map[1] + first_line - 1]
    catalog = _Flattener(Path(path), headings).run(tokens)
    catalog.context = headings
    return catalog


@dataclass(frozen=True)
class Chunk:
    """A run of whole top-level blocks of a catalog, parsed on its own."""

    path: Path
    first_line: int
    text: str
    headings: tuple[Heading, ...]  # the headings in force where the chunk starts


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_TOP_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])[ \t]")


# A section (the text under one heading) longer than this may be cut at its
# top-level list items too; shorter ones stay whole, so that an entry is
# always weighed beside all the entries of its list (ingest/candidates.py).
SECTION_LINES = 20_000


def split_text(text: str, *, path: Path | str, lines_per_chunk: int = 4000) -> list[Chunk]:
    """Cut a large catalog into chunks at section starts, so they parse and extract alike.

    A cut goes only before an ATX heading (or, in a section of more than
    SECTION_LINES lines, a list item at column 0) that follows a blank,
    indented or list line (never inside a fenced block, an HTML block or a
    paragraph), so each chunk's markdown means what it meant in the whole text.
    """
    lines = text.split("\n")
    chunks: list[Chunk] = []
    stack: list[Heading] = []
    start, start_stack, fenced, section_start = 0, (), False, 0
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            continue
        heading = _ATX.match(line)
        if heading:
            section_start = i
        long_section = i - section_start >= SECTION_LINES
        cut_here = i - start >= lines_per_chunk and (heading or long_section and _TOP_ITEM.match(line)) and (
            i > 0 and (not lines[i - 1].strip() or lines[i - 1][:1].isspace()
                       or _TOP_ITEM.match(lines[i - 1]) or _ATX.match(lines[i - 1])))
        if cut_here:
            chunks.append(Chunk(Path(path), start + 1, "\n".join(lines[start:i]), start_stack))
            start, start_stack = i, tuple(stack)
        if heading:
            level = len(heading.group(1))
            while stack and stack[-1].level >= level:
                stack.pop()
            stack.append(Heading(level, _inline_text(heading.group(2)), i + 1))
    chunks.append(Chunk(Path(path), start + 1, "\n".join(lines[start:]), start_stack))
    return chunks


class _Flattener:
    def __init__(self, path: Path, headings: tuple[Heading, ...] = ()) -> None:
        self.path = path
        self.items: list[Item] = []
        self.tables: list[Table] = []
        self.headings: list[Heading] = []
        self.path_stack: list[Heading] = list(headings)

    def run(self, tokens) -> Catalog:
        item_stack: list[int | None] = []  # open list items (None until its text is seen)
        list_stack: list[bool] = []  # ordered?
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                inline = tokens[i + 1]
                text, _, _ = _render_inline(inline.children or [], 0)
                self._heading(Heading(int(tok.tag[1:]), text.strip(), tok.map[0] + 1))
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                list_stack.append(kind == "ordered_list_open")
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
            elif kind == "list_item_open":
                item_stack.append(None)
                self._open_map = tok.map
            elif kind == "list_item_close":
                item_stack.pop()
            elif kind == "inline" and tokens[i - 1].type == "paragraph_open" \
                    and not (item_stack and item_stack[-1] is None):
                start = tok.map[0] + 1
                text, links, breaks = _render_inline(tok.children or [], start)
                if not item_stack and _bold_label(tok.children or []):
                    # "**OpenAI**" on a line of its own heads what follows, as a heading would
                    self._heading(Heading(BOLD_LABEL_LEVEL, text.strip().rstrip(":").strip(), start))
                elif links or _names_a_version(text):
                    # a paragraph with links, or prose that may introduce a versioned model
                    parent = next((x for x in reversed(item_stack) if x is not None), None)
                    self.items.append(Item(line=start, end_line=tok.map[1], depth=len(list_stack),
                                           ordered=False, text=text, links=tuple(links),
                                           headings=tuple(self.path_stack), parent=parent,
                                           breaks=tuple(breaks), kind="paragraph"))
            elif kind == "inline" and item_stack and item_stack[-1] is None \
                    and tokens[i - 1].type == "paragraph_open":
                # The first paragraph of a list item is the item's own text.
                parent = next((x for x in reversed(item_stack[:-1]) if x is not None), None)
                start = tok.map[0] + 1
                text, links, breaks = _render_inline(tok.children or [], start)
                item = Item(line=start, end_line=self._open_map[1], depth=len(list_stack),
                            ordered=list_stack[-1] if list_stack else False,
                            text=text, links=tuple(links), headings=tuple(self.path_stack),
                            parent=parent, breaks=tuple(breaks))
                index = len(self.items)
                self.items.append(item)
                if parent is not None:
                    self.items[parent].children.append(index)
                item_stack[-1] = index
            elif kind == "table_open":
                i = self._table(tokens, i)
                continue
            i += 1
        return Catalog(self.path, self.path.name, self.items, self.tables, self.headings)

    def _heading(self, heading: Heading) -> None:
        self.headings.append(heading)
        while self.path_stack and self.path_stack[-1].level >= heading.level:
            self.path_stack.pop()
        self.path_stack.append(heading)

    def _table(self, tokens, i: int) -> int:
        line = tokens[i].map[0] + 1
        header: list[str] = []
        rows: list[Row] = []
        cells: list[Cell] = []
        row_line = line
        in_head = False
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                cells = []
                row_line = tok.map[0] + 1 if tok.map else row_line
            elif tok.type == "inline":
                text, links, _ = _render_inline(tok.children or [], row_line)
                cells.append(Cell(text.strip(), tuple(links)))
            elif tok.type == "tr_close":
                if in_head:
                    header = [c.text for c in cells]
                else:
                    rows.append(Row(row_line, tuple(cells)))
            i += 1
        self.tables.append(Table(line, tuple(self.path_stack), tuple(header), tuple(rows)))
        return i + 1


# A bold line of its own ("**OpenAI**") heads what follows below every heading level.
BOLD_LABEL_LEVEL = 7


_WORD = re.compile(r"[\w.\-]+")
_LETTER, _DIGIT = re.compile(r"[A-Za-z]"), re.compile(r"\d")


def _names_a_version(text: str) -> bool:
    """A word with a letter and, after it, a digit ('Llama3', 'GPT-4'). Each word is read
    twice at most: a regex over the whole text backtracked once per letter (quadratic)."""
    for m in _WORD.finditer(text):
        letter = _LETTER.search(m.group())
        if letter and _DIGIT.search(m.group(), letter.end()):
            return True
    return False


def _bold_label(children) -> bool:
    """An inline made of one bold run (and at most a colon): '**OpenAI**', '**Providers**:'."""
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip(" :"))]
    return kinds[:1] == ["strong_open"] and kinds[-1:] == ["strong_close"] and \
        all(k in ("strong_open", "strong_close", "text") for k in kinds) and kinds.count("strong_open") == 1


def _inline_text(markdown: str) -> str:
    """'**Large Language Models**' -> 'Large Language Models', as the parser renders headings."""
    tokens = _markdown().parseInline(markdown)
    return _render_inline(tokens[0].children or [], 0)[0].strip() if tokens else markdown.strip()


_LINE_BREAK_TAG = re.compile(r"<\s*br\s*/?\s*>", re.I)


def _render_inline(children, first_line: int) -> tuple[str, list[Link], list[int]]:
    """Plain text of an inline token, its links (with lines) and line-break offsets."""
    parts: list[str] = []
    links: list[Link] = []
    breaks: list[int] = []
    size = 0
    # (href, text offset, part index, line): a link's text is joined from its
    # own parts only, so a line of many links stays linear
    open_links: list[tuple[str, int, int, int]] = []
    line = first_line
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
            size += len(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
            size += 1
            breaks.append(size)
            line += 1
        elif kind == "link_open":
            open_links.append((child.attrs.get("href", ""), size, len(parts), line))
        elif kind == "link_close" and open_links:
            href, start, first_part, link_line = open_links.pop()
            text = "".join(parts[first_part:])
            links.append(Link(text.strip(), href, link_line, start, size))
        elif kind == "html_inline" and _LINE_BREAK_TAG.match(child.content):
            parts.append(" ")  # '4096<br>128k' in a table cell: two values, not '4096128k'
            size += 1
        # images (star badges) and other inline HTML (comments) carry no catalog facts
    return "".join(parts), links, breaks
