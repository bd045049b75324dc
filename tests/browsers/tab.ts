/**
 * One browser tab, whichever engine drives it: Firefox through puppeteer-core (WebDriver
 * BiDi) or WebKitGTK through its classic WebDriver (`webdriver.ts`). The core subset
 * (`suite.ts`) only uses this interface, so every browser runs the very same checks.
 *
 * Scripts run in the page as the body of an async function, after `PAGE_HELPERS` (small DOM
 * lookups by accessible name, the way a reader finds a control).
 */
export interface Tab {
  /** Navigates and waits for the load event; errors the previous page logged are kept. */
  goto(url: string): Promise<void>;
  /** Runs `body` (an async function body that may `return`) in the page. */
  eval<T>(body: string): Promise<T>;
  /** A real pointer click in the middle of the element `body` returns (scrolled into view first). */
  click(body: string): Promise<void>;
  /** A real pointer click at viewport coordinates, with no scrolling. */
  clickAt(x: number, y: number): Promise<void>;
  /** Types text into the focused element, key by key. */
  type(text: string): Promise<void>;
  /** Presses one key, optionally with Control held: "Enter", "Backspace", "Delete", "a". */
  press(key: "Enter" | "Backspace" | "Delete" | string, withControl?: boolean): Promise<void>;
  /** console.error calls, uncaught errors and unhandled rejections of every page so far. */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Installed in every page as early as the driver allows: records console.error, uncaught
 * errors and unhandled rejections in `window.__spErrors` (WebKitGTK's driver cannot read the
 * console, so every engine uses this same hook).
 */
export const ERROR_HOOK = `(() => {
  if (window.__spErrors) return;
  const errors = (window.__spErrors = []);
  const original = console.error.bind(console);
  console.error = (...args) => {
    errors.push(args.map((a) => (a instanceof Error ? a.stack || a.message : String(a))).join(" "));
    original(...args);
  };
  addEventListener("error", (e) => errors.push("uncaught: " + (e.error?.stack || e.message)));
  addEventListener("unhandledrejection", (e) => errors.push("unhandled rejection: " + (e.reason?.stack || String(e.reason))));
})();`;

/** DOM lookups by accessible name, defined before every script the tests run. */
export const PAGE_HELPERS = `
const sp = {
  /** The text a reader hears: aria-label, else the text without aria-hidden parts. */
  name(el) {
    const label = el.getAttribute("aria-label");
    if (label) return label.trim();
    const copy = el.cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true]").forEach((n) => n.remove());
    return copy.textContent.replace(/\\s+/g, " ").trim();
  },
  /** A live example or other region by its label, or "#id" for a live example's block id. */
  region(name, root = document) {
    if (name.startsWith("#")) return root.querySelector('section[data-example-id="' + name.slice(1) + '"]');
    return [...root.querySelectorAll("section[aria-label], [role=region][aria-label]")].find((e) => e.getAttribute("aria-label") === name) ?? null;
  },
  button(root, name) {
    return [...root.querySelectorAll("button")].find((b) => sp.name(b) === name) ?? null;
  },
  tab(root, name) {
    return [...root.querySelectorAll("[role=tab]")].find((b) => sp.name(b) === name) ?? null;
  },
  log(root, name) {
    return root.querySelector('[role=log][aria-label="' + name + '"]');
  },
  text(el) {
    return el ? el.textContent : "";
  },
};
`;

/** Polls `body` in the page until it returns something truthy; fails with `what` and the last value. */
export async function waitFor<T>(tab: Tab, body: string, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      // Elements do not cross the driver as values: a found element counts as `true`.
      last = await tab.eval<T>(`const v = await (async () => { ${body} })(); return v instanceof Node ? true : v;`);
      if (last) return last as T;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
