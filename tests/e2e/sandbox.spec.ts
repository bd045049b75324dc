import { expect, test } from "@playwright/test";
import { SNAPSHOT_DIGEST_KEY } from "../../lib/runtime/snapshot-digest";

/**
 * The sandbox in a real browser worker: Python's `js` module (the worker's global scope)
 * reaches no network, storage or other context once the runtime has locked it down; and a
 * cached snapshot that does not match its digest is thrown away, not restored.
 */
test.describe("sandbox in Chromium", () => {
  test("Python's js module cannot reach fetch, indexedDB, nested workers or importScripts", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/dev/runtime?probe=lockdown");
    await expect(page.getByTestId("status")).toHaveText(/^exit/, { timeout: 170_000 });
    expect(await page.getByTestId("output").textContent()).toBe("reachable []\nvia Function refused: True\nimportScripts failed\n");
    await expect(page.getByTestId("status")).toHaveText("exit 0");
  });

  test("a tampered cached snapshot is discarded and made again; programs still run", async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto("/dev/runtime");
    await expect(page.getByTestId("status")).toHaveText("exit 0", { timeout: 170_000 });
    // The snapshot is stored in the background after the boot that made it.
    await expect.poll(() => page.evaluate(async () => (await (await caches.open("spawnpoint-snapshot")).keys()).length), { timeout: 30_000 }).toBe(1);
    // What a hostile worker would have done with `caches` had it kept it: replace the snapshot.
    const replaced = await page.evaluate(async () => {
      const cache = await caches.open("spawnpoint-snapshot");
      const [key] = await cache.keys();
      const bytes = new Uint8Array(await (await cache.match(key))!.arrayBuffer());
      bytes.fill(0, bytes.length >> 1, (bytes.length >> 1) + 4096);
      await cache.put(key, new Response(bytes));
      return key.url;
    });
    const warnings: string[] = [];
    page.on("console", (m) => warnings.push(m.text()));
    await page.reload();
    await expect(page.getByTestId("status")).toHaveText("exit 0", { timeout: 170_000 });
    await expect(page.getByTestId("output")).toContainText("exitcodes [0, 0, 0]");
    expect(warnings.some((w) => w.includes("does not match its digest"))).toBe(true);
    // The cache holds a good snapshot again (its digest matches).
    const verified = (): Promise<string> => page.evaluate(async ([url, digestKey]) => {
      const hit = await (await caches.open("spawnpoint-snapshot")).match(url);
      if (!hit) return "missing";
      const d = new Uint8Array(await crypto.subtle.digest("SHA-256", await hit.arrayBuffer()));
      const hex = Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
      return localStorage.getItem(`${digestKey}:${url}`) === hex ? "verified" : "mismatch";
    }, [replaced, SNAPSHOT_DIGEST_KEY] as const);
    await expect.poll(verified, { timeout: 30_000 }).toBe("verified");
  });
});
