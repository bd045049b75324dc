import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./warm-context";
import { encodeShare } from "../../lib/playground/share";

/**
 * A deadlocked program in the live editor: the process panel announces the kernel's
 * diagnosis (role=alert) and the terminal prints it, while the program keeps hanging
 * until Stop. Python really runs (Pyodide workers), so timeouts are generous.
 */
test.setTimeout(180_000);
const BOOT = { timeout: 90_000 };

// Two workers, two locks taken in opposite orders (the runtime test runs the same program).
const ABBA = readFileSync(path.join(__dirname, "..", "programs", "deadlock_abba.py"), "utf8");

test("a deadlocked program is named in the process panel and the terminal, and hangs until Stop", async ({ page }) => {
  const fragment = await encodeShare({ blockId: "hello", files: { "main.py": ABBA }, entry: "main.py" });
  await page.goto(`/dev/editor#${fragment}`);
  const region = page.getByRole("region", { name: "hello.py", exact: true });
  await expect(region.getByText("This code came from a shared link")).toBeVisible();
  await region.getByRole("button", { name: "Run", exact: true }).click();

  const alert = region.getByRole("alert").filter({ hasText: "deadlock" });
  await expect(alert).toBeVisible(BOOT);
  await expect(alert).toContainText("cycle: worker-1 holds Lock #1, waits for Lock #2; worker-2 holds Lock #2, waits for Lock #1");
  await expect(alert).toContainText("MainProcess waits for worker-1 to end (join)");
  const log = region.getByRole("log", { name: "Terminal output" });
  await expect(log).toContainText("started");
  await expect(log).toContainText("deadlock: every process of this program is waiting");

  // Still hanging, as under CPython: three processes blocked until the reader stops them.
  const table = region.getByRole("table", { name: "Processes" });
  await expect(table.locator('tr[data-state="blocked"]')).toHaveCount(3);
  await region.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(table.locator('tr[data-state="blocked"]')).toHaveCount(0, BOOT);
});

test("the dining philosophers of lesson 16 deadlock, and the Chinese page names the cycle in Chinese", async ({ page }) => {
  await page.goto("/zh/conditions-and-semaphores");
  const example = page.locator('[data-example-id="philosophers"]');
  await example.scrollIntoViewIfNeeded();
  await example.getByRole("button", { name: /运行/ }).first().click();
  const alert = example.getByRole("alert").filter({ hasText: "死锁" });
  await expect(alert).toBeVisible(BOOT);
  await expect(alert).toContainText("循环等待：phil-1 持有 Lock #1，等待 Lock #2");
  await expect(alert).toContainText("phil-3 持有 Lock #3，等待 Lock #1");
  // The butler's version, further down, ends.
  const butler = page.locator('[data-example-id="butler"]');
  await butler.scrollIntoViewIfNeeded();
  await butler.getByRole("button", { name: /运行/ }).first().click();
  await expect(butler.getByRole("log").first()).toContainText("everyone has eaten", BOOT);
});
