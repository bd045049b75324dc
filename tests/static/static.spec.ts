import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { fileHash } from "../../lib/web/static-export";
import { serveStatic, type StaticServer } from "./serve";

/**
 * The static export (`npm run build:static`, STATIC_DIR) served by a plain file server that
 * sends no COOP/COEP or CSP: the service worker makes the page cross-origin isolated, Python
 * runs, every lesson is saved for offline use, runs with the server gone, and a new
 * deployment replaces the saved one whole on the next visit.
 */
const dir = path.resolve(process.env.STATIC_DIR ?? "out");
const BOOT = { timeout: 150_000 };

test.describe.configure({ mode: "serial" });
test.setTimeout(300_000);

let server: StaticServer;
let port = 0;

test.beforeAll(async () => {
  server = await serveStatic(dir);
  port = server.port;
});
test.afterAll(async () => {
  await server?.close();
});

/** Waits out the one reload that makes a page isolated (and any update's reload). */
async function isolated(page: Page): Promise<void> {
  await expect
    .poll(async () => page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === "function").catch(() => false), { timeout: 60_000 })
    .toBe(true);
}

const LABELS = { en: { run: "Run", matches: "Output matches the lesson." }, zh: { run: "运行", matches: "输出与课程一致。" } };

async function runAndMatch(page: Page, lang: "en" | "zh", exampleId: string): Promise<void> {
  const example = page.locator(`section[data-example-id="${exampleId}"]`);
  await example.scrollIntoViewIfNeeded();
  await example.getByRole("button", { name: LABELS[lang].run, exact: true }).click();
  await expect(example.getByText(LABELS[lang].matches)).toBeVisible(BOOT);
}

test("a plain file server's copy becomes isolated through the service worker, runs Python, and is saved for offline use", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));

  const first = await page.goto("/en/start-and-join/");
  expect(first?.headers()["cross-origin-embedder-policy"]).toBeUndefined(); // the host sends none
  await isolated(page);
  // Each page carries its policy in a meta tag: the host sends no CSP header.
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute("content", /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  await runAndMatch(page, "en", "no-wait");

  const badge = page.getByTestId("offline-status");
  await expect(badge).toHaveAttribute("data-state", "ready", { timeout: 180_000 });
  await expect(badge).toHaveText("Available offline");
  expect(errors).toEqual([]);

  // The host goes away: other lessons, in both languages, still open and run.
  await server.close();
  await page.goto("/zh/queues/");
  await isolated(page);
  await expect(page.getByTestId("offline-status")).toHaveText("可离线使用");
  await runAndMatch(page, "zh", "fifo");
  // A link without the trailing slash, as the lessons write them, still finds the saved page.
  await page.goto("/en/locks");
  await expect(page).toHaveURL(/\/en\/locks\/$/);
  await expect(page.locator("h1")).toContainText("Lock");
  await context.close();
  server = await serveStatic(dir, { port });
});

test("a new deployment arrives whole on the next visit", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/en/start-and-join/");
  await isolated(page);
  await expect(page.getByTestId("offline-status")).toHaveAttribute("data-state", "ready", { timeout: 180_000 });
  const builds = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("spawnpoint-build-")));
  expect(await builds()).toHaveLength(1);

  // Deploy "v2": another service worker version, and a page whose title changed (with its
  // new hash in the manifest, as build:static would write it). What the server sends is counted.
  const page2 = (body: Buffer) => Buffer.from(body.toString().replace("<title>Start and join", "<title>Start and join v2"));
  const hash2 = fileHash(page2(fs.readFileSync(path.join(dir, "en/start-and-join/index.html"))));
  const sent = new Map<string, number>();
  await server.close();
  server = await serveStatic(dir, {
    port,
    transform: (urlPath, body) => {
      sent.set(urlPath, (sent.get(urlPath) ?? 0) + 1);
      if (urlPath === "/sw.js")
        return Buffer.from(
          body
            .toString()
            .replace(/"version":"[0-9a-f]+"/, '"version":"v2test"')
            .replace(/"\/en\/start-and-join\/":"[0-9a-f]+"/, `"/en/start-and-join/":"${hash2}"`),
        );
      if (urlPath === "/en/start-and-join/") return page2(body);
      return body;
    },
  });
  // The old build keeps serving until the new one is saved whole; then a visit takes it. A reload
  // may land as the new worker takes over and the page reloads itself (OfflineStatus): such a
  // reload could wait out the whole poll (once 170 s), so each gets 30 s and the next one follows.
  await expect
    .poll(
      async () => {
        await page.reload({ timeout: 30_000 }).catch(() => undefined);
        return page.title().catch(() => "");
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toContain("Start and join v2");
  await isolated(page);
  expect(await builds()).toEqual(["spawnpoint-build-v2test"]);
  // Only what changed was downloaded again: the page, not Pyodide's 10 MB.
  expect(sent.get("/en/start-and-join/") ?? 0).toBeGreaterThan(0);
  expect(sent.get("/pyodide/pyodide.asm.wasm") ?? 0).toBe(0);
  // Python still runs on the new build.
  await runAndMatch(page, "en", "no-wait");
  await context.close();
});

test("in another site's frame (an LMS), where isolation cannot happen, the lesson runs in compatibility mode", async ({ browser }) => {
  test.setTimeout(240_000);
  // The LMS is another origin (another port) that sends no isolation headers and frames a lesson.
  const lms = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const srv = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!DOCTYPE html><title>LMS</title><iframe src="${server.url}/en/start-and-join/" style="width:1000px;height:800px"></iframe>`);
    });
    srv.listen(0, () => resolve({ url: `http://localhost:${(srv.address() as AddressInfo).port}/`, close: () => srv.close() }));
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(lms.url);
  const lesson = page.frameLocator("iframe");
  const badge = lesson.locator('section[data-example-id="no-wait"] [data-runtime-mode=relay]');
  await expect(badge).toHaveAttribute("title", /the page around this frame is not cross-origin isolated/, { timeout: 60_000 });
  const example = lesson.locator('section[data-example-id="no-wait"]');
  await example.getByRole("button", { name: "Run", exact: true }).click();
  await expect(example.getByText("Output matches the lesson.")).toBeVisible(BOOT);
  await context.close();
  lms.close();
});
