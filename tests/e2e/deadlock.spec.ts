import { expect, test } from "@playwright/test";
import { encodeShare } from "../../lib/playground/share";

/**
 * A deadlocked program in the live editor: the process panel announces the kernel's
 * diagnosis (role=alert) and the terminal prints it, while the program keeps hanging
 * until Stop. Python really runs (Pyodide workers), so timeouts are generous.
 */
test.setTimeout(180_000);
const BOOT = { timeout: 90_000 };

const ABBA = `from multiprocessing import Barrier, Lock, Process


def worker(first, second, ready):
    with first:
        ready.wait()
        with second:
            print("never printed")


if __name__ == "__main__":
    a, b = Lock(), Lock()
    ready = Barrier(2)
    w1 = Process(target=worker, args=(a, b, ready), name="worker-1")
    w2 = Process(target=worker, args=(b, a, ready), name="worker-2")
    w1.start()
    w2.start()
    print("started")
    w1.join()
    w2.join()
`;

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
