/**
 * Firefox through puppeteer-core over WebDriver BiDi (Playwright cannot drive a stock
 * Firefox). One browser, one tab, reused by every test.
 */
import puppeteer, { type Browser, type ElementHandle, type KeyInput, type Page } from "puppeteer-core";
import { ERROR_HOOK, PAGE_HELPERS, type Tab } from "./tab";

const wrap = (body: string) => `(async () => { ${PAGE_HELPERS}\n${body}\n})()`;

export async function openFirefox(executablePath = process.env.FIREFOX_PATH || "/usr/bin/firefox-esr"): Promise<Tab> {
  const browser: Browser = await puppeteer.launch({
    browser: "firefox",
    executablePath,
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
    // A test profile that never reaches for the network on its own.
    extraPrefsFirefox: { "app.update.enabled": false, "browser.shell.checkDefaultBrowser": false, "network.captive-portal-service.enabled": false },
  });
  const page: Page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.evaluateOnNewDocument(ERROR_HOOK);
  const seen: string[] = [];
  const harvest = async () => {
    try {
      seen.push(...(await page.evaluate(() => (window as unknown as { __spErrors?: string[] }).__spErrors?.splice(0) ?? [])));
    } catch {
      // No page yet (about:blank before the first navigation).
    }
  };

  const element = async (body: string): Promise<ElementHandle<Element>> => {
    const handle = await page.evaluateHandle(wrap(body));
    const el = handle.asElement();
    if (!el) throw new Error(`no element for: ${body}`);
    return el as ElementHandle<Element>;
  };

  return {
    async goto(url) {
      await harvest();
      await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    },
    eval: <T>(body: string) => page.evaluate(wrap(body)) as Promise<T>,
    async click(body) {
      const el = await element(body);
      await el.click();
      await el.dispose();
    },
    clickAt: (x, y) => page.mouse.click(x, y),
    type: (text) => page.keyboard.type(text),
    async press(key, withControl = false) {
      if (withControl) await page.keyboard.down("Control");
      await page.keyboard.press(key as KeyInput);
      if (withControl) await page.keyboard.up("Control");
    },
    async errors() {
      await harvest();
      return [...seen];
    },
    close: () => browser.close(),
  };
}
