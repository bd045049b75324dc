import { expect, test } from "./warm-context";
import { loadLessons } from "../../lib/content/load";

/**
 * Step mode in a presentation: stepping in the audience window shows the same lanes and
 * step count in the presenter window's preview, which runs no Python of its own.
 */
test.setTimeout(240_000);
const BOOT = { timeout: 120_000 };
const withRunnable = loadLessons().find((l) => /```python run/.test(l.translations.en.source));

test("the presenter window mirrors the audience window's step mode", async ({ page, context }) => {
  expect(withRunnable, "no lesson has a runnable block").toBeTruthy();
  await page.goto(`/en/${withRunnable!.slug}/present`);
  await expect(page.locator("html[data-present-keys=ready]")).toHaveCount(1);
  const popupPromise = context.waitForEvent("page");
  await page.keyboard.press("s");
  const presenter = await popupPromise;
  const presenterPython: string[] = [];
  presenter.on("request", (r) => {
    if (r.url().includes("/pyodide/")) presenterPython.push(r.url());
  });
  await expect(presenter.getByTestId("presenter-counter")).toHaveText(/^1 \//);

  await page.bringToFront();
  const example = page.locator("section[aria-roledescription=slide]:visible [data-example-id]").first();
  for (let i = 0; i < 40 && !(await example.isVisible()); i++) await page.keyboard.press("ArrowRight");
  const id = await example.getAttribute("data-example-id");
  await example.getByRole("button", { name: "Step", exact: true }).click();
  const panel = example.locator("[data-step-panel]");
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await page.keyboard.press("1");
  await expect(panel).toHaveAttribute("data-steps", "1", BOOT);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);

  // The previews are inert (not in the accessibility tree): found by structure.
  const mirror = presenter.locator(`[data-example-id="${id}"]`).first().locator("[data-step-panel]");
  await expect(mirror).toHaveAttribute("data-steps", "1");
  await expect(mirror).toHaveAttribute("data-phase", "choosing");
  const lanes = await panel.locator("[data-step-lane]").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-step-lane")} ${e.getAttribute("data-state")}`));
  await expect(mirror.locator("[data-step-lane]")).toHaveCount(lanes.length);
  expect(await mirror.locator("[data-step-lane]").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-step-lane")} ${e.getAttribute("data-state")}`))).toEqual(lanes);
  // A mirror only: no step buttons, no Python.
  await expect(mirror.locator("[data-step-lane] button")).toHaveCount(0);
  expect(presenterPython).toEqual([]);
});
