"""What the Content-Security-Policy blocked on the pages a journey opens: the journeys and walks that
check it (test_csp.py, the accessibility walk, the check-in desk, the course pages) share this watch."""


LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
                    + (e.sample ? ` (${e.sample})` : ''));
}, true);
"""


class Watch:
    """Record every CSP violation and console CSP error of the pages a journey opens."""

    def __init__(self, journey):
        self.journey = journey
        self.found: dict[str, list[str]] = {}
        self.console: list[str] = []
        journey.page.add_init_script(LISTEN)
        journey.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.journey.page.url}: {message.text}")

    def open(self, path: str) -> None:
        self.journey.open(path, screenshot=False)
        self.collect()

    def collect(self) -> None:
        self.journey.page.wait_for_load_state("load")
        violations = self.journey.page.evaluate("window.__csp || []")
        if violations:
            self.found.setdefault(self.journey.page.url, []).extend(violations)

    def assert_clean(self, opened: int) -> None:
        assert opened
        report = [f"{url}: {v}" for url, items in self.found.items() for v in items] + self.console
        assert not report, "\n".join(report)
