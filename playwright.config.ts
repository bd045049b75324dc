import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./tests/chromium";

/**
 * Browser tests run against the PRODUCTION build (`next build` first; scripts/test.mjs does it),
 * in Debian's Chromium: Playwright never downloads a browser here.
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), E2E_PORT (default 3110),
 * NEXT_DIST_DIR (the build to serve, default .next), E2E_REUSE_SERVER=1 to use a server
 * that is already running on E2E_PORT.
 */
const port = Number(process.env.E2E_PORT ?? 3110);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // One retry in CI only: the suite shares 2 cores, and a test that passes on its retry is
  // still listed as "flaky" in the report (and in the run log), so flakiness stays visible.
  retries: process.env.CI ? 1 : 0,
  // Two cores: more workers only add contention.
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/playwright.json" }]] : "list",
  use: {
    baseURL,
    // Recording a trace costs every test CPU (a DOM snapshot per action: the whole-site crawl
    // took 1.9 min with it, 57 s without). With retries (CI, npm test), only a retry records,
    // so a failure still leaves its trace; without, a failing test keeps its own.
    trace: process.env.CI ? "on-first-retry" : "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${port}`,
    url: baseURL,
    reuseExistingServer: process.env.E2E_REUSE_SERVER === "1",
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
