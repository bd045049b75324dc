import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { loadLessons } from "../../lib/content/load";
import { withoutPython } from "./without-python";

// The course the server was built from (same env: SPAWNPOINT_CONTENT_DIR or ./content).
const lessons = loadLessons();
const first = lessons[0];
const second = lessons[1] ?? lessons[0];

/** Collects console errors and uncaught exceptions for the test's page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

test.describe("landing page", () => {
  test("user sees what the site teaches and every lesson", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Spawnpoint" })).toBeVisible();
    const list = page.getByRole("main").getByRole("list").last();
    for (const lesson of lessons) {
      await expect(list.getByRole("link", { name: new RegExp(escape(lesson.translations.en.title)) })).toBeVisible();
    }
  });

  test("user can choose Chinese on the landing page", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "中文" }).click();
    await expect(page).toHaveURL(/\/zh$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("link", { name: new RegExp(escape(first.translations.zh.title)) }).first()).toBeVisible();
  });
});

test.describe("lesson page", () => {
  test("user reads a lesson whose code is highlighted in the static HTML", async ({ browser }) => {
    // No JavaScript: whatever is colourful here was highlighted at build time, not in the browser.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/en/${first.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: first.translations.en.title })).toBeVisible();
    const tokens = page.locator("pre.shiki span[style*='--shiki-light'][style*='--shiki-dark']");
    await expect(tokens.first()).toBeVisible();
    const colors = await tokens.evaluateAll((spans) => new Set(spans.map((span) => getComputedStyle(span).color)).size);
    expect(colors).toBeGreaterThan(2);
    await context.close();
  });

  test("user copies a code block to the clipboard", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-write"]);
    // The site's Permissions-Policy turns clipboard-read off (it only writes), so the test
    // cannot read the clipboard back: it records what the page hands to the real writeText.
    await page.addInitScript(() => {
      const clipboard = navigator.clipboard;
      const write = clipboard.writeText.bind(clipboard);
      clipboard.writeText = (text: string) => {
        (window as unknown as { copiedText?: string }).copiedText = text;
        return write(text);
      };
    });
    await page.goto(`/en/what-is-a-process`);
    const figure = page.getByRole("figure").filter({ hasText: "python3 main.py" });
    const button = figure.getByRole("button", { name: "Copy code to clipboard" });
    // A click that lands before hydration does nothing (the button is static HTML until then): retry.
    await expect(async () => {
      await button.click();
      await expect(button).toHaveText("Copied", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { copiedText?: string }).copiedText)).toBe("python3 main.py");
  });

  test("user sees the sidebar, the table of contents and prev/next links", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/en/${second.slug}`);
    const sidebar = page.getByRole("navigation", { name: "Lessons" });
    await expect(sidebar.getByRole("link")).toHaveCount(lessons.length);
    await expect(sidebar.getByRole("link", { name: new RegExp(escape(second.translations.en.title)) })).toHaveAttribute("aria-current", "page");
    const toc = page.getByRole("complementary").getByRole("navigation", { name: "On this page" });
    const firstEntry = toc.getByRole("link").first();
    const target = (await firstEntry.getAttribute("href"))!;
    await firstEntry.click();
    await expect(page).toHaveURL(new RegExp(`${escape(target)}$`));
    await expect(page.locator(target)).toBeInViewport();
    if (lessons.length > 1) {
      await expect(page.getByRole("link", { name: /Previous|Next/ }).first()).toBeVisible();
    }
  });

  test("user switches language and stays on the same lesson and section", async ({ page }) => {
    await page.goto(`/en/${second.slug}`);
    const anchor = await page.locator(".prose h2[id]").nth(1).getAttribute("id");
    // A fresh load with the anchor, as a shared link arrives. A fragment-only navigation of the
    // page just loaded races Next's hydration, which can write the URL it started with back.
    await page.goto("about:blank");
    await page.goto(`/en/${second.slug}#${anchor}`);
    await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "中文" }).click();
    await expect(page).toHaveURL(new RegExp(`/zh/${second.slug}#${anchor}$`));
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1, name: second.translations.zh.title })).toBeVisible();
    await expect(page.locator(`#${anchor}`)).toBeInViewport();
    await page.getByRole("navigation", { name: "语言" }).getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(new RegExp(`/en/${second.slug}#${anchor}$`));
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("page is cross-origin isolated so SharedArrayBuffer is available", async ({ page }) => {
    await page.goto(`/en/${first.slug}`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe("function");
  });

  test("layout fits a 375 px phone without sideways scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ["/", `/en/${first.slug}`, `/zh/${second.slug}`]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      // Lesson pages fold the sidebar into a disclosure on phones.
      if (path !== "/") await expect(page.locator("summary", { hasText: /^(Lessons|课程)$/ })).toBeVisible();
    }
  });

  test("keyboard user can skip straight to the content", async ({ page }) => {
    await page.goto(`/en/${first.slug}`);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
  });
});

test.describe("theme", () => {
  test("user's dark theme choice persists across reloads and is applied before first paint", async ({ page }) => {
    // Record the theme at the moment <body> starts to exist: before any paint and
    // before React can run. A flash would show up here as a missing `dark` class.
    await withoutPython(page); // four loads of a lesson page
    await page.addInitScript(() => {
      const w = window as unknown as { __themeAtBody?: string };
      const observer = new MutationObserver(() => {
        if (document.body && w.__themeAtBody === undefined) {
          w.__themeAtBody = document.documentElement.className;
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(`/en/${first.slug}`);
    // Clicks before hydration do nothing (static buttons): retry until React handles it.
    await expect(async () => {
      await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" }).click();
      await expect(page.locator("html")).toHaveClass(/\bdark\b/, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "true");

    await page.reload();
    expect(await page.evaluate(() => (window as unknown as { __themeAtBody?: string }).__themeAtBody)).toMatch(/\bdark\b/);
    await expect(page.getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "true");

    // With every external script blocked (no React at all), the inline head script alone
    // still paints the page dark.
    await page.route("**/_next/static/**/*.js", (route) => route.abort());
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe("rgb(13, 17, 23)");
    await page.unroute("**/_next/static/**/*.js");

    // "System" follows the OS.
    await page.reload();
    await expect(async () => {
      await page.getByRole("button", { name: "System" }).click();
      await expect(page.locator("html")).not.toHaveClass(/\bdark\b/, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "system");
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  });
});

test.describe("accessibility", () => {
  const pages: Array<[string, "light" | "dark"]> = [
    ["/", "light"],
    ["/zh", "dark"],
    [`/en/${first.slug}`, "light"],
    [`/zh/${second.slug}`, "dark"],
  ];
  for (const [path, scheme] of pages) {
    test(`${path} in ${scheme} theme has no serious axe violations`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      expect(serious).toEqual([]);
    });
  }
});

test.describe("static files", () => {
  test("self-hosted Pyodide is served with the right types and isolation headers", async ({ request, page }) => {
    const expectations: Array<[string, RegExp]> = [
      ["/pyodide/pyodide.asm.wasm", /^application\/wasm/],
      ["/pyodide/pyodide.mjs", /^text\/javascript/],
      ["/pyodide/pyodide.asm.mjs", /^text\/javascript/],
      ["/pyodide/python_stdlib.zip", /^application\/zip/],
      ["/pyodide/pyodide-lock.json", /^application\/json/],
    ];
    // A Next.js chunk too: every static file must carry the headers, not only pages.
    await page.goto("/");
    const chunk = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
    expectations.push([chunk!, /javascript/]);
    for (const [url, type] of expectations) {
      const response = await request.get(url);
      expect(response.status(), url).toBe(200);
      const headers = response.headers();
      expect(headers["content-type"], url).toMatch(type);
      expect(headers["cross-origin-opener-policy"], url).toBe("same-origin");
      expect(headers["cross-origin-embedder-policy"], url).toBe("require-corp");
      expect(headers["cross-origin-resource-policy"], url).toBe("same-origin");
    }
  });
});

test.describe("404", () => {
  test("user gets a Chinese 404 under /zh and an English one elsewhere", async ({ page }) => {
    const zh = await page.goto("/zh/no-such-lesson");
    expect(zh?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeHidden();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.getByRole("link", { name: "返回课程列表" }).click();
    await expect(page).toHaveURL(/\/zh$/);

    const en = await page.goto("/no/such/page");
    expect(en?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "页面不存在" })).toBeHidden();
  });
});

test.describe("whole site", () => {
  test("every internal link resolves, every #anchor exists, and no page logs an error", async ({ page }) => {
    test.setTimeout(300_000);
    // Links, anchors and load errors, not Python: each of about 80 pages began a boot that the
    // next navigation threw away (3.2 min for the crawl alone on 2 cores, 1 min without).
    await withoutPython(page);
    const errors = watchErrors(page);
    const queue: string[] = ["/", "/en", "/zh"];
    const seen = new Set<string>(queue);
    const anchors: Array<{ from: string; path: string; id: string }> = [];
    const idsByPath = new Map<string, Set<string>>();
    while (queue.length > 0) {
      const path = queue.shift()!;
      const response = await page.goto(path);
      expect(response?.status(), `${path} status`).toBeLessThan(400);
      const base = new URL(page.url());
      idsByPath.set(path, new Set(await page.locator("[id]").evaluateAll((els) => els.map((e) => e.id))));
      const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== base.origin) continue;
        if (url.hash) anchors.push({ from: path, path: url.pathname, id: decodeURIComponent(url.hash.slice(1)) });
        if (!seen.has(url.pathname)) {
          seen.add(url.pathname);
          queue.push(url.pathname);
        }
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(3 + lessons.length * 2);
    for (const { from, path, id } of anchors) {
      expect(idsByPath.get(path)?.has(id), `link #${id} on ${from} → ${path}`).toBe(true);
    }
    expect(errors).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
