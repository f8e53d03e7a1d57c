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
from nianbao.formats import ReportFormat


@hookimpl
def nianbao_report_formats():
    return [ReportFormat({"edition": "1999", "applies_to_report_years": {"from": 1999, "to": 1999}})]
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
    assert [f.edition for f in host.formats] == ["2019", "2021"]
    assert {"text", "json", "html", "docx", "pdf"} <= {x.name for x in host.loaders}


def test_a_builtin_can_be_disabled_by_name() -> None:
    host = create_host(disabled=["formats"], entry_points=False)
    assert "formats" not in host.plugin_names()
    assert host.formats == []


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
    assert [f.edition for f in host.formats] == ["2019", "2021", "1999"]
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
    assert "1999" in [f.edition for f in host.formats]
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
        [f.edition for f in host.formats],
        [x.name for x in host.loaders],
        [r.meta.code for r in host.rules],
        [s.name for s in host.rulesets],
        [o.name for o in host.output_formats],
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
            from nianbao.formats import ReportFormat

            return [ReportFormat({"edition": "1999"})]

    host = create_host(entry_points=False)
    host.register(Late, "late")
    # pluggy keeps trylast implementations first in its list; calling in registration order would not
    assert [f.edition for f in host.formats] == ["1999", "2019", "2021"]
