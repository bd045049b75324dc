import { expect, test } from "./warm-context";

/**
 * Clicks that land: nothing moves under the pointer. The same click-during-scroll check runs
 * in Firefox and WebKit (tests/browsers/suite.ts).
 */
test.setTimeout(120_000);
const BOOT = { timeout: 60_000 };

test.describe("Clicks land where the reader aims", () => {
  test("a click on Run issued the moment a programmatic scroll starts lands on Run", async ({ page }) => {
    await page.goto("/dev/editor");
    const orphan = page.getByRole("region", { name: "orphan.py", exact: true });
    await expect(orphan.getByRole("button", { name: "Run", exact: true })).toBeVisible(BOOT);
    // Where Run is at the instant the scroll starts is where the reader's click goes: with
    // smooth scrolling the page is still moving and the click lands on something else.
    const at = await page.evaluate(() => {
      scrollTo(0, 0);
      document.getElementById("orphan")!.scrollIntoView();
      const run = [...document.querySelectorAll('section[data-example-id="orphan"] button')].find((b) => b.textContent?.includes("Run"))!;
      const r = run.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, inView: r.top >= 0 && r.bottom <= innerHeight };
    });
    expect(at.inView).toBe(true);
    await page.mouse.click(at.x, at.y);
    await expect(orphan.getByRole("log", { name: "Terminal output" })).toContainText("killed the child", BOOT);
    await orphan.getByRole("button", { name: "Stop", exact: true }).click();
  });

  test("programmatic scrolls are instant, so a hash link's target is in place at once", async ({ page }) => {
    await page.goto("/dev/editor");
    const top = await page.evaluate(() => {
      scrollTo(0, 0);
      location.hash = "#orphan";
      return Math.round(document.getElementById("orphan")!.getBoundingClientRect().top);
    });
    // The heading sits just below the sticky header (scroll-padding-top), not a screen away.
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(200);
  });

  test("the toolbar stays still while Monaco replaces the highlighted code", async ({ page }) => {
    await page.goto("/dev/editor");
    const runs = page.getByRole("button", { name: "Run", exact: true });
    await expect(runs.first()).toBeVisible(BOOT);
    const boxes = async () => Promise.all((await runs.all()).slice(0, 4).map((b) => b.boundingBox()));
    const before = await boxes();
    // Every editor in reach swaps in (Monaco loads near the viewport).
    await expect(page.locator(".monaco-editor").first()).toBeVisible(BOOT);
    await page.waitForTimeout(500);
    expect(await boxes()).toEqual(before);
  });
});
