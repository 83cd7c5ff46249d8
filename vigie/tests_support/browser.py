"""Browser-test fixtures (Playwright + Debian chromium + axe-core)."""
