import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type FrameLocator, type Page } from "@playwright/test";

/**
 * Compatibility mode: a lesson framed by another site that is not cross-origin isolated (a
 * school's LMS) has no SharedArrayBuffer, so Python runs in the relay runtime, through the
 * site's service worker (public/sw.js). The same lesson blocks give the lesson's output.
 */
const BOOT = { timeout: 120_000 };

let lms: { origin: string; close: () => void };

test.beforeAll(async () => {
  // Another origin (another port) that sends no isolation headers and frames whatever `?src=` names.
  lms = await new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      const src = new URL(req.url ?? "/", "http://lms").searchParams.get("src") ?? "";
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!DOCTYPE html><title>LMS</title><iframe src="${src}" style="width:1100px;height:900px"></iframe>`);
    });
    srv.listen(0, () => resolve({ origin: `http://localhost:${(srv.address() as AddressInfo).port}`, close: () => srv.close() }));
  });
});

test.afterAll(() => lms.close());

async function framed(page: Page, baseURL: string, path: string): Promise<FrameLocator> {
  await page.goto(`${lms.origin}/?src=${encodeURIComponent(baseURL + path)}`);
  return page.frameLocator("iframe");
}

async function runAndMatch(frame: FrameLocator, exampleId: string): Promise<void> {
  const example = frame.locator(`section[data-example-id="${exampleId}"]`);
  await example.scrollIntoViewIfNeeded();
  await example.getByRole("button", { name: "Run", exact: true }).click();
  await expect(example.getByText("Output matches the lesson.")).toBeVisible(BOOT);
}

test.describe("compatibility mode (no SharedArrayBuffer)", () => {
  test.describe.configure({ mode: "serial" });

  test("a lesson in a frame of a page that is not isolated runs in compatibility mode and says why", async ({ page, baseURL }) => {
    test.setTimeout(240_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const frame = await framed(page, baseURL!, "/en/start-and-join");
    const example = frame.locator('section[data-example-id="no-wait"]');
    const badge = example.locator("[data-runtime-mode=relay]");
    await expect(badge).toHaveText(/Compatibility mode/, BOOT);
    await expect(badge).toHaveAttribute("title", /the page around this frame is not cross-origin isolated/);
    expect(await page.frames()[1].evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([false, "undefined"]);
    await runAndMatch(frame, "no-wait");
    await runAndMatch(frame, "join-timeout");
    expect(errors).toEqual([]);
  });

  test("locks, queues and pipes give the lesson's output without shared memory", async ({ page, baseURL }) => {
    test.setTimeout(300_000);
    let frame = await framed(page, baseURL!, "/en/locks");
    await runAndMatch(frame, "plain-race-locked");
    frame = await framed(page, baseURL!, "/en/queues-and-pipes");
    await runAndMatch(frame, "results");
    await runAndMatch(frame, "pipe");
  });

  test("Stop ends a busy loop", async ({ page, baseURL }) => {
    test.setTimeout(240_000);
    const frame = await framed(page, baseURL!, "/en/start-and-join");
    const example = frame.locator('section[data-example-id="no-wait"]');
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
});
