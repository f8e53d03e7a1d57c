"""Built-in output formats: the console report, JSON and the formats CI systems read."""

from __future__ import annotations

from nianbao import hookimpl


@hookimpl
def nianbao_output_formats() -> list[object]:
    from .console import ConsoleOutput
    from .github import GithubAnnotationsOutput
    from .gitlab import GitlabCodeQualityOutput
    from .json_report import JsonOutput
    from .junit import JunitGitlabOutput, JunitOutput
    from .sarif import SarifOutput

    return [
        ConsoleOutput(),
        JsonOutput(),
        SarifOutput(),
        JunitOutput(),
        JunitGitlabOutput(),
        GitlabCodeQualityOutput(),
        GithubAnnotationsOutput(),
    ]
