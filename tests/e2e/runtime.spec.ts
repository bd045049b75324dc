import { expect, test } from "./warm-context";

test.describe("Python runtime in the browser", () => {
  test("user can run a multi-process program: each process is a Web Worker with its own Pyodide", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/dev/runtime");
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId("status")).toHaveText("exit 0", { timeout: 170_000 });
    await expect(page.getByTestId("output")).toHaveText(
      "results [(0, 0, True), (1, 1, True), (2, 4, True)]\nexitcodes [0, 0, 0]\n",
    );
    // main + 3 children
    await expect(page.getByTestId("spawns")).toHaveText("4");
    // The interpreter snapshot, with the runtime's modules imported (no bytecode needed), is kept
    // for the next visit, keyed on the runtime it holds; the next visit's workers boot from it.
    const cached = () => page.evaluate(async () => (await (await caches.open("spawnpoint-snapshot")).keys()).map((r) => new URL(r.url)).map((u) => `${u.pathname} ${u.searchParams.has("runtime")}`));
    await expect.poll(cached).toEqual(["/pyodide/pyodide.asm.wasm true"]);
    await page.reload();
    await expect(page.getByTestId("status")).toHaveText("exit 0", { timeout: 120_000 });
    await expect(page.getByTestId("output")).toContainText("exitcodes [0, 0, 0]");
    const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => m.name).filter((n) => n.startsWith("spawnpoint worker runtime")));
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks)).toEqual(new Set(["spawnpoint worker runtime from snapshot"]));
  });
});
