"""Typed errors. The library raises these; the CLI renders them once.

Every error carries what happened, optionally where (file:line) and what to
do, so the CLI can print one line: `Error: what (file:line). Hint`.
"""

from __future__ import annotations


class LlmkgError(Exception):
    """Base of every error llmkg raises on purpose. Exit code 2 (bad input)."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __reduce__(self):
        # whatever a subclass's __init__ takes: a query worker process sends its errors whole
        return _restore, (type(self), self.args, self.__dict__)

    def __str__(self) -> str:
        text = self.message
        if self.where:
            text += f" ({self.where})"
        if self.hint:
            text += f". {self.hint[:1].upper()}{self.hint[1:]}"
        return text


_CONTROL = None  # compiled on first use: most runs print no error


def printable(text: str) -> str:
    """`text` safe to print as one line: newlines, tabs and every other control
    character (terminal escapes, bidi overrides) written as escapes."""
    global _CONTROL
    if _CONTROL is None:
        import re

        _CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _CONTROL.sub(lambda m: named.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


_USERINFO = None


def redact_userinfo(text: str) -> str:
    """URLs in `text` with their password replaced: 'http://u:secret@h/' -> 'http://u:***@h/'."""
    global _USERINFO
    if _USERINFO is None:
        import re

        _USERINFO = re.compile(r"(\b[A-Za-z][\w+.\-]*://[^/\s:@]*):[^@\s/]*@")
    return _USERINFO.sub(r"\1:***@", text)


def clip(value: str, width: int = 60) -> str:
    """A value for a message: printable, at most `width` characters (then an ellipsis)."""
    shown = printable(value)
    return shown if len(shown) <= width else shown[:width] + "…"


class CatalogError(LlmkgError):
    """The catalog cannot be read or (with --strict) was not fully understood."""


class StoreError(LlmkgError):
    """The store is missing, locked or damaged."""


class QueryError(LlmkgError):
    """A saved query is unknown, malformed, or misses a parameter."""


class FormatError(LlmkgError):
    """An unknown or unsuitable serialization format."""


class OutputError(LlmkgError):
    """A file or device the user named cannot be written."""


class ShapesError(LlmkgError):
    """The SHACL shapes or the ontology cannot be loaded."""


class EndpointError(LlmkgError):
    """A remote SPARQL or Graph Store endpoint failed or refused. Passwords in the URLs
    its message names are redacted."""

    def __init__(self, message: str, **kwargs) -> None:
        super().__init__(redact_userinfo(message), **kwargs)


class ReasonerError(LlmkgError):
    """The OWL reasoner could not run (e.g. no Java)."""


class HistoryError(LlmkgError):
    """A git repository or a history store cannot be read as a catalog's history."""


class FetchError(LlmkgError):
    """A catalog URL cannot be fetched (offline, refused, too large, too slow)."""


def _restore(cls, args, state):
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
