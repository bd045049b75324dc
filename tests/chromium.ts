/** How Playwright's tests and the browser benches launch Debian's Chromium. */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Flags measured to work headless as root (Chromium refuses its sandbox there); the
 * background-networking ones stop Chromium from trying to reach the internet.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
