"""axe-core in the page: a page state the browser tests visit has no serious or critical
accessibility violation.  axe-core comes from the npm registry (package.json; `make test`
and .ci/run install it into node_modules), never from the repository."""

import os
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


@cache
def _source() -> str | None:
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    if os.environ.get("BROWSER_TESTS") == "required":
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci` (make test does)")
    return None


def severe_violations(page) -> list[dict]:
    """What axe finds serious or critical on the page as it is now (empty without axe)."""
    source = _source()
    if source is None or not page.url.startswith("http"):
        return []
    # Through the DevTools protocol, not a <script>: the site's CSP allows no inline code.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {source}\n}}")
        page.evaluate("() => { window.axe = window.axe || axe; }")
    return page.evaluate(
        """async (severe) => {
          const result = await window.axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter((v) => severe.includes(v.impact))
            .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
        }""",
        list(SEVERE),
    )


def check_axe(page, where: str = "") -> None:
    found = severe_violations(page)
    assert not found, f"axe on {where or page.url}: {found}"
