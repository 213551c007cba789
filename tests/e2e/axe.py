"""axe-core (tests/e2e/vendor/axe.min.js, vendored; see its README) run on a page through the
driver, never loaded by the page itself: one way for every browser test that checks it."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

_RUN = """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']}))
  .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 120))}))"""


def serious_violations(page) -> list[dict]:
    """The serious and critical violations of WCAG 2 A/AA and axe's best practices on the page
    as it is now, once its transitions have ended: axe judged a button's colours half-way
    through Bootstrap's 0.15 s fade after a tap (a CI failure on the menu button, 04/12)."""
    page.evaluate(
        "() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"
    )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(_RUN)
