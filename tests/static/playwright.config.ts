import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../chromium";

/**
 * The static export's tests (tests/static): the spec serves the export itself with a plain file
 * server (serve.ts), so it can stop and change it. STATIC_DIR names the export (default out/).
 */
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 300_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  use: {
    // As in the main config: with retries, only a retry records its trace.
    trace: process.env.CI ? "on-first-retry" : "retain-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
