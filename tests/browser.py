"""Headless Chromium for the HTML report's tests: where elements are, and what the page looks like.

Two runs of the same page at the same width lay it out identically (no web fonts, no animation,
nothing loaded from elsewhere): the first reports element boxes through ``--dump-dom`` (a script
added to a copy of the page writes them into the DOM), the second takes the screenshot the boxes
are sampled in. ``.ci/run`` installs Chromium and sets NIANBAO_REQUIRE_BROWSER so that CI fails
rather than skips without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REQUIRE = "NIANBAO_REQUIRE_BROWSER"
WIDTH = 1280
# Flags that work on a machine without a display, a sandbox or a network (and as root).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--force-color-profile=srgb",
)
_MEASURE = """
<script>
(function () {
  var boxes = [];
  var wanted = "td[data-ref], table.statutory th, figure.table, table.sortable tbody tr, section.report h3";
  document.querySelectorAll(wanted).forEach(function (el) {
    var r = el.getBoundingClientRect();
    var cells = el.tagName === "TR" ? Array.prototype.map.call(el.cells, function (c) { return c.textContent; }) : [];
    boxes.push({tag: el.tagName.toLowerCase(), id: el.id, ref: el.getAttribute("data-ref") || "",
                cls: el.className, text: el.textContent.trim().slice(0, 40), cells: cells,
                x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height});
  });
  var out = document.createElement("pre");
  out.id = "nianbao-geometry";
  out.style.display = "none";
  out.textContent = JSON.stringify({height: document.documentElement.scrollHeight, boxes: boxes});
  document.body.appendChild(out);
})();
</script>
"""


def chromium() -> str:
    """The browser, or a skip (a failure where CI demands the browser)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        return found
    if os.environ.get(REQUIRE):
        pytest.fail(f"{REQUIRE} is set but no Chromium was found (apt-get install chromium)")
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it")


def _run(args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="nianbao-chromium-") as profile:
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=timeout,
            check=False,
        )


def measurable_copy(page: Path, before: str = "") -> Path:
    """A copy of ``page`` with the measuring script before ``</body>``, after the script ``before``
    (e.g. a click) has run."""
    copy = page.with_name(page.stem + ".measured.html")
    first = f"<script>{before}</script>\n" if before else ""
    copy.write_text(page.read_text("utf-8").replace("</body>", first + _MEASURE + "</body>", 1), "utf-8")
    return copy


def geometry(page: Path, width: int = WIDTH) -> dict:
    """``{"height": ..., "boxes": [...]}`` of a page made by :func:`measurable_copy`."""
    result = _run([f"--window-size={width},900", "--dump-dom", page.as_uri()])
    dom = result.stdout.decode("utf-8")
    start = dom.find('<pre id="nianbao-geometry"')
    assert start >= 0, result.stderr.decode("utf-8", "replace")[-2000:]
    body = dom[dom.index(">", start) + 1 : dom.index("</pre>", start)]
    import html

    return json.loads(html.unescape(body))


def screenshot(page: Path, height: int, out: Path, width: int = WIDTH) -> Path:
    result = _run([f"--window-size={width},{height}", f"--screenshot={out}", page.as_uri()])
    assert out.exists(), result.stderr.decode("utf-8", "replace")[-2000:]
    return out
