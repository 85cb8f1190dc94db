"""axe-core, in headless Chromium, on every page of the static site: no serious or critical rule.

The site is built by ``tools/build_site.py`` from the committed notebooks (``SITE_NOTEBOOKS``
builds it from another folder), each page opened from its ``file://`` URL, axe-core's script
(the npm package ``axe-core``, which ``.ci/run`` installs into ``.ci-venv/node_modules``;
``AXE_CORE_JS=/path/axe.min.js`` names another copy) injected, and ``axe.run`` asked for the
WCAG 2.0/2.1 A and AA rules and axe's best practices. A page passes when no violation has the
impact ``serious`` or ``critical``; moderate and minor ones are printed, not failed. Without
axe-core the test skips, except under CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import static_site
from browser_harness import must_not_skip
from static_site import PAGES, ROOT, open_page

#: What axe checks: the WCAG 2.1 AA success criteria and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}

pytestmark = pytest.mark.browser

#: Runs axe on the whole document; returns each violated rule with its impact and examples.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, count: v.nodes.length,
    examples: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


def axe_script() -> Path | None:
    """axe-core's ``axe.min.js``: ``$AXE_CORE_JS``, else where ``.ci/run`` installs it."""
    candidates = [
        os.environ.get("AXE_CORE_JS"),
        ROOT / ".ci-venv" / "node_modules" / "axe-core" / "axe.min.js",
        ROOT / "node_modules" / "axe-core" / "axe.min.js",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def axe() -> Path:
    script = axe_script()
    if script is None:
        reason = "axe-core not found: `npm install --prefix .ci-venv axe-core@4.14.1`"
        if must_not_skip(os.environ):
            pytest.fail(f"under CI=true the accessibility test must run; {reason}")
        pytest.skip(reason)
    return script


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return static_site.build(tmp_path_factory.mktemp("site") / "site")


def violations(browser, page_file: Path, script: Path) -> list[dict]:
    """axe-core's violations on one page (rule id, impact, node count, examples)."""
    with open_page(browser, page_file) as tab:
        tab.add_script_tag(path=str(script))
        return tab.evaluate(RUN_AXE, AXE_TAGS)


@pytest.mark.parametrize("page", PAGES, ids=[p.target for p in PAGES])
def test_page_has_no_serious_or_critical_axe_violation(browser, site, axe, page):
    found = violations(browser, site / page.target, axe)
    for rule in found:
        print(f"{page.target}: {rule['impact']} {rule['id']} x{rule['count']}")
    failing = [rule for rule in found if rule["impact"] in FAILING_IMPACTS]
    assert failing == [], failing
