"""``--format github``: GitHub Actions workflow commands, one line per finding.

``::error file=PATH,line=L,col=C,title=CODE::message`` turns into an annotation on the pull request.
Paths are relative to the repository root, which is the workspace in GitHub Actions.
"""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.lint import LintRun
from nianbao.outputs import RenderOptions, repo_path
from nianbao.rules import Finding

from .common import Streamed, has_text_lines, with_position

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, path: str, title: str, message: str, line: int | None = None, col: int | None = None) -> str:
    props = [f"file={escape_property(path)}"]
    if line is not None:
        props += [f"line={line}", f"col={col or 1}"]
    props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def _finding_command(f: Finding, path: str) -> str:
    loc = f.location
    if has_text_lines(loc):
        assert loc is not None
        return command(COMMAND[f.severity], path, f.code, f.message, loc.line, loc.column)
    return command(COMMAND[f.severity], path, f.code, with_position(f.message, loc))


class GithubAnnotationsOutput(Streamed):
    name = "github"
    description = "GitHub Actions 工作流命令（拉取请求中的注释）"
    machine = True

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        options = options or RenderOptions()
        for r in run.results:
            rel = repo_path(r.path, options.root)
            lines = [command("error", rel, r.error.code, r.error.message)] if r.error else []
            lines += [_finding_command(f, rel) for f in r.findings]
            if lines:
                yield "".join(line + "\n" for line in lines)
