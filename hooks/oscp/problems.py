"""Problems found in content, and how they are reported to editors.

Every check in the engine returns :class:`Problem` objects rather than raising, so a
build can list every problem at once as ``file:line:col: what is wrong (how to fix)``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file."""

    path: str
    line: int | None
    col: int | None
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Render as ``path:line:col: message (hint)``; a problem with a whole file (empty, too
        large, unreadable) is at its ``1:1``; a folder's is ``folder/:`` alone. The path is
        shown with any control character escaped, so a file name cannot forge another line."""
        where = shown(self.path)
        if self.line is not None or not self.path.endswith("/"):
            where += f":{self.line or 1}:{self.col or 1}"
        text = f"{where}: {self.message}"
        if self.severity == "warning":
            text = f"{where}: warning: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def shown(text: str) -> str:
    """``text`` with every character that is not printable written as an escape (\\n, \\x1b)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in content")

    def report(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.format() for p in self.problems)


def _sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line or 0, problem.col or 0, problem.message)


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that must stop a build."""
    return [p for p in problems if p.severity == "error"]
