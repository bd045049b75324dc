import { expect, test, type BrowserContext, type FrameLocator, type Page } from "@playwright/test";
import { encodeShare } from "../../lib/playground/share";
import { withoutIsolation } from "../without-isolation";

/**
 * Compatibility mode: a page that is not cross-origin isolated (a host that cannot send
 * COOP/COEP; a frame in a page that is not isolated, tested on the static export, since the
 * server forbids other sites' frames) has no SharedArrayBuffer, so Python runs in the relay
 * runtime, through the site's service worker (public/sw.js). The same lesson blocks give the
 * lesson's output.
 *
 * The tests share one browser context, as one reader's browser would: the first test is a first
 * visit (no service worker, no cached snapshot), the others return to the site. A fresh context
 * per test made the snapshot again each time (~5 s of CPU on these 2 cores).
 */
const BOOT = { timeout: 120_000 };

let context: BrowserContext;

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

async function runAndMatch(frame: Page | FrameLocator, exampleId: string): Promise<void> {
  const example = frame.locator(`section[data-example-id="${exampleId}"]`);
  await example.scrollIntoViewIfNeeded();
  await example.getByRole("button", { name: "Run", exact: true }).click();
  await expect(example.getByText("Output matches the lesson.")).toBeVisible(BOOT);
}

test.describe("compatibility mode (no SharedArrayBuffer)", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async ({ browser }, testInfo) => {
    context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    await withoutIsolation(context, (url) => ["/en/", "/zh/", "/dev/editor"].some((p) => url.pathname.startsWith(p)));
  });
  test.afterEach(async () => {
    for (const page of context.pages()) await page.close();
  });
  test.afterAll(async () => {
    await context.close();
  });

  test("a lesson served without isolation headers runs in compatibility mode and says why", async () => {
    test.setTimeout(240_000);
    const errors: string[] = [];
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto("/en/start-and-join");
    expect(await page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([false, "undefined"]);
    const badge = page.locator('section[data-example-id="no-wait"] [data-runtime-mode=relay]');
    await expect(badge).toHaveText(/Compatibility mode/, BOOT);
    await expect(badge).toHaveAttribute("title", /this page is not cross-origin isolated/);
    await runAndMatch(page, "no-wait");
    await runAndMatch(page, "join-timeout");
    expect(errors).toEqual([]);
  });

  test("locks, queues and pipes give the lesson's output without shared memory", async () => {
    test.setTimeout(300_000);
    const page = await open("/en/locks");
    await runAndMatch(page, "plain-race-locked");
    await page.goto("/en/queues-and-pipes");
    await runAndMatch(page, "results");
    await runAndMatch(page, "pipe");
  });

  test("Stop ends a busy loop", async () => {
    test.setTimeout(240_000);
    const page = await open("/en/start-and-join");
    const example = page.locator('section[data-example-id="no-wait"]');
    await example.scrollIntoViewIfNeeded();
    await expect(example.getByRole("button", { name: "Run", exact: true })).toBeVisible(BOOT);
    // Replace the program with a busy loop, then Stop it.
    const lines = example.locator(".monaco-editor .view-lines");
    await expect(lines).toBeVisible(BOOT);
    await lines.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("print('spinning', flush=True)\nwhile True: pass\n");
    await example.getByRole("button", { name: "Run", exact: true }).click();
    const log = example.getByRole("log", { name: "Terminal output" });
    await expect(log).toContainText("spinning", BOOT);
    await example.getByRole("button", { name: "Stop" }).click();
    await expect(example.getByRole("button", { name: "Stop" })).toBeDisabled({ timeout: 30_000 });
  });

  test("Step mode runs the reader's processes one at a time without shared memory", async () => {
    test.setTimeout(240_000);
    const program = `import multiprocessing as mp

def work(name):
    print(f"{name} one", flush=True)

if __name__ == "__main__":
    ps = [mp.Process(target=work, args=(n,)) for n in ("a", "b")]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("done", flush=True)
`;
    const page = await open(`/dev/editor#${await encodeShare({ blockId: "hello", files: { "main.py": program }, entry: "main.py" })}`);
    const region = page.getByRole("region", { name: "hello.py", exact: true });
    await expect(region.locator("[data-runtime-mode=relay]")).toBeVisible(BOOT);
    await region.getByRole("button", { name: "Step", exact: true }).click();
    const panel = region.getByRole("region", { name: "Step mode" });
    await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
    // Three moves of the reader's choosing, then the rest at random: the run ends with every line.
    for (let i = 0; i < 3; i++) {
      const before = await panel.getAttribute("data-steps");
      await panel.locator("[data-step-lane][data-state=ready] button").first().click();
      await expect(panel).not.toHaveAttribute("data-steps", before ?? "", BOOT);
    }
    await panel.getByRole("button", { name: "Finish with random choices" }).click();
    await expect(panel).toHaveAttribute("data-phase", "finished", BOOT);
    await expect(panel.locator("[data-step-output]")).toContainText("a one");
    await expect(panel.locator("[data-step-output]")).toContainText("b one");
    await expect(panel.locator("[data-step-output]")).toContainText("done");
  });
});
