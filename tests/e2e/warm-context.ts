/**
 * `test` for specs whose tests run Python: one browser context per Playwright worker, kept from
 * test to test, as a returning reader's browser is. A fresh context has no interpreter snapshot
 * in its Cache API, so its first Run boots Pyodide from scratch and makes one (about 5 s of
 * CPU per test on these 2 cores); a kept context makes it once per worker. The first visit's
 * path stays covered by the specs that use Playwright's own fresh context (sandbox, compat,
 * security-headers, site).
 *
 * Each test still starts with no pages and without the site's cookies, local storage (but for
 * the snapshot's digest), session storage or granted permissions. What a test adds to the context itself (routes, init
 * scripts) would outlive it: a test that needs those, or other context options, makes its own
 * context with `browser.newContext`.
 */
import { test as base, type BrowserContext } from "@playwright/test";
// The snapshot's digest: kept, or the cached snapshot is thrown away.
import { SNAPSHOT_DIGEST_KEY } from "../../lib/runtime/snapshot-digest";

export { expect } from "@playwright/test";
export type { Locator, Page } from "@playwright/test";

export const test = base.extend<object, { warmContext: BrowserContext }>({
  warmContext: [
    async ({ browser }, provide, workerInfo) => {
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      await provide(context);
      await context.close();
    },
    { scope: "worker" },
  ],
  context: async ({ warmContext }, provide) => {
    await provide(warmContext);
    for (const page of warmContext.pages()) await page.close();
    await warmContext.clearCookies();
    await warmContext.clearPermissions();
    // Storage is the origin's: cleared from a document of the site (a small static file).
    const page = await warmContext.newPage();
    await page.goto("/sw.js");
    await page.evaluate((kept) => {
      for (const key of Object.keys(localStorage)) if (!key.startsWith(kept)) localStorage.removeItem(key);
      sessionStorage.clear();
    }, SNAPSHOT_DIGEST_KEY);
    await page.close();
  },
});
