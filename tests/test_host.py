"""The plugin host: built-ins as ordinary plugins, entry points, and plugins that fail to load."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from nianbao import hookimpl
from nianbao.host import create_host, discover_entry_points

PLUGIN_MODULE = """
from nianbao import hookimpl
from nianbao.templates import Template


@hookimpl
def nianbao_report_formats():
    return [Template({"edition": "1999", "applies_to_report_years": {"from": 1999, "to": 1999}})]
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    """A directory on sys.path where tests install distributions the way pip lays them out."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("nb_test_")]:
        del sys.modules[name]


def _install(site: Path, dist: str, entry_points: str, modules: dict[str, str]) -> None:
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), "utf-8")
    for name, code in modules.items():
        (site / f"{name}.py").write_text(code, "utf-8")


def test_builtins_are_named_plugins() -> None:
    host = create_host(entry_points=False)
    assert {"formats", "text"} <= set(host.plugin_names())
    assert [f.edition for f in host.templates] == ["2019", "2021"]
    assert {"text", "json", "html", "docx", "pdf"} <= {x.name for x in host.loaders}


def test_a_builtin_can_be_disabled_by_name() -> None:
    host = create_host(disabled=["formats"], entry_points=False)
    assert "formats" not in host.plugin_names()
    assert host.templates == []


def test_entry_point_plugins_are_found_and_registered(site: Path) -> None:
    _install(
        site,
        "nb_test_extra",
        """
        [console_scripts]
        other = nb_test_extra:main

        [nianbao]
        extra = nb_test_extra
        """,
        {"nb_test_extra": PLUGIN_MODULE},
    )
    assert ("extra", "nb_test_extra") in discover_entry_points()
    host = create_host()
    assert "extra" in host.plugin_names()
    assert [f.edition for f in host.templates] == ["2019", "2021", "1999"]
    assert host.problems == []


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_run(site: Path) -> None:
    _install(
        site,
        "nb_test_broken",
        "[nianbao]\nbroken = nb_test_broken:plugin\n",
        {"nb_test_broken": "import nb_test_nowhere\n"},
    )
    _install(site, "nb_test_good", "[nianbao]\ngood = nb_test_good\n", {"nb_test_good": PLUGIN_MODULE})
    host = create_host()
    assert [(p.plugin, p.reason.split(":")[0]) for p in host.problems] == [("broken", "ModuleNotFoundError")]
    assert "good" in host.plugin_names()
    assert "1999" in [f.edition for f in host.templates]
    assert [x.name for x in host.loaders] == [x.name for x in create_host(entry_points=False).loaders]


def test_a_disabled_third_party_plugin_is_not_even_imported(site: Path) -> None:
    _install(site, "nb_test_broken", "[nianbao]\nbroken = nb_test_broken\n", {"nb_test_broken": "raise SystemError\n"})
    host = create_host(disabled=["broken"])
    assert host.problems == []
    assert "nb_test_broken" not in sys.modules


# ---------------------------------------------------------------------------------------- without pluggy


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"tryfirst": True},
        {"trylast": True},
        {"optionalhook": True},
        {"specname": "nianbao_rules"},
        {"wrapper": True},
    ],
)
def test_hookimpl_marks_a_function_exactly_as_pluggys_marker(options: dict) -> None:
    import pluggy

    def ours() -> None: ...

    def theirs() -> None: ...

    hookimpl(**options)(ours)
    pluggy.HookimplMarker("nianbao")(**options)(theirs)
    assert ours.nianbao_impl == theirs.nianbao_impl  # type: ignore[attr-defined]
    bare_ours, bare_theirs = hookimpl(lambda: None), pluggy.HookimplMarker("nianbao")(lambda: None)
    assert bare_ours.nianbao_impl == bare_theirs.nianbao_impl


def test_the_direct_calls_know_every_hookspec() -> None:
    from nianbao import hookspecs
    from nianbao.markers import HOOKS

    assert set(HOOKS) == {name for name in dir(hookspecs) if name.startswith("nianbao_")}


def _contributions(host) -> list:
    return [
        host.plugin_names(),
        [f.edition for f in host.templates],
        [x.name for x in host.loaders],
        [r.meta.code for r in host.rules],
        [s.name for s in host.rulesets],
        [o.name for o in host.outputs],
    ]


def test_builtins_called_directly_contribute_what_pluggy_would_collect() -> None:
    direct = create_host(entry_points=False)
    through_pluggy = create_host(entry_points=False)
    through_pluggy.manager  # noqa: B018 - builds the pluggy manager holding the built-ins
    assert _contributions(direct) == _contributions(through_pluggy)
    assert direct._manager is None and through_pluggy._manager is not None


def test_a_plugin_with_hook_options_is_called_through_pluggy() -> None:
    class Late:
        @staticmethod
        @hookimpl(trylast=True)
        def nianbao_report_formats():
            from nianbao.templates import Template

            return [Template({"edition": "1999"})]

    host = create_host(entry_points=False)
    host.register(Late, "late")
    # pluggy keeps trylast implementations first in its list; calling in registration order would not
    assert [f.edition for f in host.templates] == ["1999", "2019", "2021"]


# ---------------------------------------------------------------------------------------- plugin options

OPTION_PLUGIN = """
from nianbao import hookimpl
from nianbao.options import LintOption


class Echo:
    name, description, machine = "echo", "the plugin options an output receives", True

    def render(self, run, color, options=None):
        return repr(sorted(options.plugin_options.items()))


@hookimpl
def nianbao_output_formats():  # the hook's former name
    return [Echo()]


@hookimpl
def nianbao_lint_options():
    return [
        LintOption(("--shout",), {"action": "store_true", "help": "大声说"}),
        LintOption(("--root",), {"help": "a name the core already has"}),
    ]
"""


def test_a_plugin_adds_lint_options_and_its_outputs_receive_them(
    site: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from nianbao.cli import main

    _install(site, "nb_test_options", "[nianbao]\noptions = nb_test_options\n", {"nb_test_options": OPTION_PLUGIN})
    report = sorted((Path(__file__).parent / "corpus").glob("0*.txt"))[1]
    with pytest.raises(SystemExit):
        main(["lint", "--help"])
    shown = capsysbinary.readouterr()
    assert "--shout" in shown.out.decode() and "大声说" in shown.out.decode()
    # A name another plugin or the core holds is skipped with a warning, not a traceback.
    assert "--root 无法添加" in shown.err.decode()
    assert main(["lint", "--format", "echo", "--shout", str(report)]) == 1
    out = capsysbinary.readouterr().out.decode()
    assert out == "[('sarif_srcroot', None), ('shout', True), ('timestamps', False)]"


def test_editions_users_may_name_are_those_of_the_loaded_templates(
    site: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from nianbao.cli import main

    report = sorted((Path(__file__).parent / "corpus").glob("0*.txt"))[1]
    with pytest.raises(SystemExit) as refused:
        main(["parse", "--edition", "1999", str(report)])
    assert refused.value.code == 2 and "无效的选项 '1999'" in capsysbinary.readouterr().err.decode()
    _install(site, "nb_test_1999", "[nianbao]\nedition1999 = nb_test_1999\n", {"nb_test_1999": PLUGIN_MODULE})
    assert main(["parse", "--edition", "1999", str(report)]) == 0
    assert '"value": "1999"' in capsysbinary.readouterr().out.decode()
