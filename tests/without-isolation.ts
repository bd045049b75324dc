import type { BrowserContext } from "playwright-core";

/**
 * Serves the pages `match` picks without their COOP/COEP headers, as a plain host (or another
 * site's frame) would give them: the page is not cross-origin isolated, so it has no
 * SharedArrayBuffer and runs Python in compatibility mode. Shared by tests/e2e/compat.spec.ts
 * and bench/compat-browser.bench.ts.
 */
export async function withoutIsolation(context: BrowserContext, match: (url: URL) => boolean): Promise<void> {
  await context.route(match, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers["cross-origin-opener-policy"];
    delete headers["cross-origin-embedder-policy"];
    await route.fulfill({ response, headers });
  });
}
