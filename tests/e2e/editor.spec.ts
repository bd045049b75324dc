import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./warm-context";

/**
 * The live editor on its fixture lesson (tests/e2e/fixtures/editor-lesson.mdx, served at
 * /dev/editor by the same MDX pipeline as real lessons). Python really runs: these tests
 * boot Pyodide workers, so their timeouts are generous.
 */
test.setTimeout(120_000);
const BOOT = { timeout: 60_000 };

function example(page: Page, name: string) {
  const region = page.getByRole("region", { name, exact: true });
  return {
    region,
    /** The code as it stands (the static view mirrors the editor's text, hidden once Monaco shows). */
    code: region.locator(".sp-code-static"),
    button: (label: string) => region.getByRole("button", { name: label, exact: true }),
    output: (terminal = "Terminal") => region.getByRole("log", { name: `${terminal} output` }),
    terminal: (terminal = "Terminal") => region.getByRole("region", { name: terminal, exact: true }),
    processes: region.getByRole("table", { name: "Processes" }),
  };
}

/** Replaces the code in Monaco (the editor loads when the block nears the viewport). */
async function typeCode(page: Page, region: ReturnType<typeof example>["region"], code: string) {
  await region.scrollIntoViewIfNeeded();
  const lines = region.locator(".monaco-editor .view-lines");
  await expect(lines).toBeVisible(BOOT);
  await lines.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(code);
}

test.describe("Live editor", () => {
  test("user can type into the editor and run it with Ctrl+Enter", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await typeCode(page, hello.region, "print('typed', 6 * 7");
    await page.keyboard.press("Control+Enter");
    await expect(hello.output()).toContainText("typed 42", BOOT);
    await expect(hello.output()).toContainText("Program exited.");
  });

  test("Ctrl+Enter in the same moment as the last keystroke runs the code as typed", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await typeCode(page, hello.region, "print('first')");
    await expect(hello.region.getByRole("button", { name: "Reset", exact: true })).toBeVisible();
    // The edit and the key in one task, before React renders the edit: Run must not take the
    // code as it was before it. Monaco edits through the EditContext API in Chromium.
    await hello.region.locator(".monaco-editor .native-edit-context").evaluate((el) => {
      type Ctx = EventTarget & { text: string; updateText(start: number, end: number, text: string): void };
      type UpdateEvent = new (type: string, init: object) => Event;
      const ctx = (el as unknown as { editContext: Ctx }).editContext;
      const TextUpdate = (window as unknown as { TextUpdateEvent: UpdateEvent }).TextUpdateEvent;
      const text = "print('typed', 6 * 7)";
      const end = ctx.text.length;
      ctx.updateText(0, end, text);
      ctx.dispatchEvent(new TextUpdate("textupdate", { text, updateRangeStart: 0, updateRangeEnd: end, selectionStart: text.length, selectionEnd: text.length }));
      el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
    });
    await expect(hello.output()).toContainText("typed 42", BOOT);
    await expect(hello.output()).not.toContainText("first");
  });

  test("user can run the lesson's code with the Run button and see it matches the expected output", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await hello.button("Run").click();
    await expect(hello.output()).toContainText("Hello from Spawnpoint", BOOT);
    await expect(hello.region.getByText("Output matches the lesson.")).toBeVisible();
    await expect(hello.processes.getByRole("row", { name: /MainProcess/ })).toContainText("exited");
  });

  test("user can stop an infinite loop with Stop", async ({ page }) => {
    await page.goto("/dev/editor");
    const forever = example(page, "forever.py");
    await forever.button("Run").click();
    await expect(forever.output()).toContainText("still running", BOOT);
    await expect(forever.button("Stop")).toBeEnabled();
    await forever.button("Stop").click();
    await expect(forever.output()).toContainText("Program stopped.");
    await expect(forever.button("Stop")).toBeDisabled();
    await expect(forever.processes.getByRole("row", { name: /MainProcess/ })).not.toContainText("running");
  });

  test("user can answer input() in the terminal, and Ctrl-D is end of file", async ({ page }) => {
    await page.goto("/dev/editor");
    const greet = example(page, "greet.py");
    await greet.button("Run").click();
    await expect(greet.output()).toContainText("Your name?", BOOT);
    await expect(greet.processes.getByRole("row", { name: /MainProcess/ })).toContainText("blocked on input");
    await greet.terminal().click();
    await page.keyboard.type("Adx");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("a");
    await page.keyboard.press("Enter");
    await expect(greet.output()).toContainText("Hello, Ada!");
    await expect(greet.output()).toContainText("More?");
    await page.keyboard.press("Control+D");
    await expect(greet.output()).toContainText("EOF received");
    await expect(greet.output()).toContainText("Program exited.");
  });

  test("user can press Ctrl-C in the terminal to interrupt a program", async ({ page }) => {
    await page.goto("/dev/editor");
    const greet = example(page, "greet.py");
    await greet.button("Run").click();
    await expect(greet.output()).toContainText("Your name?", BOOT);
    await greet.terminal().click();
    await page.keyboard.press("Control+C");
    await expect(greet.output()).toContainText("KeyboardInterrupt");
    await expect(greet.output()).toContainText(/Program (exited with code|ended by signal)/);
  });

  test("user's edits persist with a modified marker, and Reset brings the lesson's code back", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await expect(hello.region.getByText("modified", { exact: true })).toHaveCount(0);
    await typeCode(page, hello.region, "print('mine'");
    await expect(hello.region.getByText("modified", { exact: true })).toBeVisible();
    await page.waitForTimeout(500); // edits are saved after a short debounce
    await page.reload();
    await expect(hello.region.getByText("modified", { exact: true })).toBeVisible();
    await expect(hello.code).toHaveText("print('mine')");
    await hello.button("Reset").click();
    await expect(hello.region.getByText("modified", { exact: true })).toHaveCount(0);
    await expect(hello.code).toHaveText('print("Hello from Spawnpoint")');
    await page.reload();
    await expect(hello.code).toHaveText('print("Hello from Spawnpoint")');
    await expect(hello.region.getByText("modified", { exact: true })).toHaveCount(0);
  });

  test("user can share code by link; opening it shows the code and does not run it", async ({ page, context }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await typeCode(page, hello.region, "print('shared code'");
    await hello.button("Share").click();
    const link = await hello.region.getByRole("textbox", { name: /Share/ }).inputValue();
    expect(link).toMatch(/#share=hello~/);

    const other = await context.newPage();
    await other.goto(link);
    const opened = example(other, "hello.py");
    await expect(opened.region.getByText("This code came from a shared link")).toBeVisible();
    await expect(opened.code).toHaveText("print('shared code')");
    await other.waitForTimeout(2000);
    await expect(opened.terminal()).toHaveCount(0);
    await expect(opened.processes).toHaveCount(0);
    await opened.button("Run").click();
    await expect(opened.output()).toContainText("shared code", BOOT);
  });

  test("process panel shows a finished, not yet joined child as a zombie", async ({ page }) => {
    await page.goto("/dev/editor");
    const zombie = example(page, "zombie.py");
    await zombie.button("Run").click();
    await expect(zombie.output()).toContainText("child done", BOOT);
    const child = zombie.processes.getByRole("row", { name: /Process-1/ });
    await expect(child).toContainText("zombie");
    await expect(child).toContainText("0"); // its exit code
    await expect(zombie.processes.getByRole("row", { name: /MainProcess/ })).toContainText("sleeping");
    await zombie.button("Stop").click();
    await zombie.button("Replay this run").click();
    await expect(zombie.region.getByRole("button", { name: "Step forward" })).toBeVisible(BOOT);
  });

  test("Stop puts the stopped program's workers back: none of them is ended", async ({ page }) => {
    // Every worker the page ends (Playwright sees each one close). A Stop that ended its
    // program's workers closes the parent's at once; one that puts it back closes none, and a
    // worker that did not come back within the pool's 5 s would be ended then.
    const ended: string[] = [];
    page.on("worker", (w) => w.on("close", () => ended.push(w.url())));
    await page.goto("/dev/editor");
    const zombie = example(page, "zombie.py");
    for (let run = 1; run <= 2; run++) {
      await zombie.button("Run").click();
      await expect(zombie.output()).toContainText("child done", BOOT);
      // The parent sleeps, parked in its worker, when Stop kills it.
      await expect(zombie.processes.getByRole("row", { name: /MainProcess/ })).toContainText("sleeping");
      const before = ended.length;
      await zombie.button("Stop").click();
      await expect(zombie.output()).toContainText("stopped");
      await page.waitForTimeout(6000);
      expect(ended.slice(before), `workers ended after Stop ${run}`).toEqual([]);
    }
  });

  test("process panel marks an orphan after its parent is killed", async ({ page }) => {
    await page.goto("/dev/editor");
    const orphan = example(page, "orphan.py");
    await orphan.button("Run").click();
    await expect(orphan.output()).toContainText("killed the child", BOOT);
    const grandchild = orphan.processes.getByRole("row", { name: /Process-1:1/ });
    await expect(grandchild).toContainText("orphan");
    await expect(grandchild.getByRole("cell").nth(1)).toHaveText("1"); // re-parented to init
    await orphan.button("Stop").click();
    await expect(orphan.button("Stop")).toBeDisabled();
  });

  test("a multi-file playground runs a server and a client at the same time", async ({ page }) => {
    await page.goto("/dev/editor");
    const net = example(page, "Example: server.py");
    await expect(net.region.getByRole("tablist", { name: "Files" }).getByRole("tab")).toHaveText(["server.py", "client.py", "data/config.json"].map((n) => new RegExp(n.replace(".", "\\."))));
    await net.button("Run").click();
    await expect(net.output()).toContainText("server listening", BOOT);
    await net.button("Run client.py").click();
    await expect(net.output("Terminal: client.py")).toContainText("client got PING", BOOT);
    await expect(net.output()).toContainText("server got ping");
  });

  test("user can switch playground files with the tabs", async ({ page }) => {
    await page.goto("/dev/editor");
    const net = example(page, "Example: server.py");
    await net.region.getByRole("tab", { name: /client\.py/ }).click();
    await expect(net.region.getByRole("tab", { name: /client\.py/ })).toHaveAttribute("aria-selected", "true");
    await expect(net.region.getByRole("tabpanel")).toContainText("create_connection");
    await page.keyboard.press("ArrowRight");
    await expect(net.region.getByRole("tab", { name: /config\.json/ })).toBeFocused();
    await expect(net.region.getByRole("tabpanel")).toContainText("5050");
  });

  test("user can open a shell on the same machine and run the example's file from it", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await hello.region.getByRole("tab", { name: "Shell" }).click();
    const shell = hello.output("Shell");
    await expect(shell).toContainText("$", BOOT);
    await hello.terminal("Shell").click();
    await page.keyboard.type("ls");
    await page.keyboard.press("Enter");
    await expect(shell).toContainText("main.py");
    await page.keyboard.type("python main.py");
    await page.keyboard.press("Enter");
    // The next command once the program has ended and the prompt is back. Keys typed before
    // that go to the program's stdin and are dropped with it when it exits without reading
    // them (bash would read them as its next command: not reproduced yet).
    await expect(shell).toContainText(/Hello from Spawnpoint\n[^\n]*\$\s*$/, BOOT);
    await page.keyboard.type("ps");
    await page.keyboard.press("Enter");
    await expect(shell).toContainText("PID");
    await expect(hello.processes.getByRole("row", { name: /MainProcess/ }).first()).toBeVisible();
  });

  test("leaving the page stops every process and leaves no worker running", async ({ page }) => {
    await page.goto("/dev/editor");
    const forever = example(page, "forever.py");
    await forever.button("Run").click();
    await expect(forever.output()).toContainText("still running", BOOT);
    expect(page.workers().length).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Leave to another page" }).click();
    await expect(page.getByRole("heading", { name: "Another page" })).toBeVisible();
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(0);
  });

  test("the editor follows the site theme when the reader switches it", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    const editor = hello.region.locator(".monaco-editor-background");
    await expect(editor).toBeVisible(BOOT);
    await page.evaluate(() => document.documentElement.classList.remove("dark"));
    await expect(editor).toHaveCSS("background-color", "rgb(255, 255, 255)");
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await expect(editor).toHaveCSS("background-color", "rgb(36, 41, 46)");
  });

  test("Monaco replaces the highlighted code without moving anything below it", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    const below = page.getByRole("heading", { name: "Input" });
    const before = await below.boundingBox();
    await expect(hello.region.locator(".monaco-editor")).toBeVisible(BOOT);
    await page.waitForTimeout(300);
    expect(await below.boundingBox()).toEqual(before);
  });

  test("before the page's script has run, Run, Step and Check are disabled, not silently dead", async ({ browser, baseURL, page }) => {
    // A click on the server's HTML before hydration would do nothing; a slow device (WebKit
    // on a loaded machine) can show that HTML for seconds.
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/dev/editor");
      const hello = example(page, "hello.py");
      await expect(hello.button("Run")).toBeDisabled();
      await expect(hello.button("Step")).toBeDisabled();
      await page.goto("/en/locks");
      await expect(page.getByRole("button", { name: "Check my solution" }).first()).toBeDisabled();
    } finally {
      await context.close();
    }
    await page.goto("/dev/editor");
    await expect(example(page, "hello.py").button("Run")).toBeEnabled();
  });

  test("clicking Run before Python is ready queues the run", async ({ page }) => {
    // Python is held back until the test lets it go: Run is enabled once the page has
    // hydrated, and this context's cached snapshot could otherwise make Python ready first.
    await page.addInitScript(() => {
      const compile = WebAssembly.compileStreaming;
      const released = new Promise<void>((resolve) => Object.assign(window, { releasePython: resolve }));
      WebAssembly.compileStreaming = (source) => released.then(() => compile(source));
    });
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await hello.button("Run").click();
    await expect(hello.region.getByText(/Run queued|Loading Python/).first()).toBeVisible();
    await expect(hello.output()).not.toContainText("Hello from Spawnpoint");
    await page.evaluate(() => (window as unknown as { releasePython: () => void }).releasePython());
    await expect(hello.output()).toContainText("Hello from Spawnpoint", BOOT);
    await expect(hello.region.getByRole("progressbar")).toHaveCount(0);
  });

  test("Monaco waits for Python to load and for a Run queued meanwhile to print", async ({ page }) => {
    // Its megabytes of script would compete with the boot for the main thread (and the CPU).
    await page.addInitScript(() => {
      const compile = WebAssembly.compileStreaming;
      const released = new Promise<void>((resolve) => Object.assign(window, { releasePython: resolve }));
      WebAssembly.compileStreaming = (source) => released.then(() => compile(source));
      // When each first showed: Monaco's DOM, and the run's line in the terminal's log.
      const seen: Record<string, number> = {};
      Object.assign(window, { seen });
      new MutationObserver(() => {
        if (seen.monaco === undefined && document.querySelector(".monaco-editor")) seen.monaco = performance.now();
        const log = document.querySelector('[role="log"][aria-label="Terminal output"]');
        if (seen.output === undefined && log?.textContent?.includes("Hello from Spawnpoint")) seen.output = performance.now();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await hello.button("Run").click();
    // Held for longer than Monaco takes to load once asked (it is on screen from the start).
    await page.waitForTimeout(3000);
    await expect(page.locator(".monaco-editor")).toHaveCount(0);
    await page.evaluate(() => (window as unknown as { releasePython: () => void }).releasePython());
    await expect(hello.output()).toContainText("Hello from Spawnpoint", BOOT);
    await expect(hello.region.locator(".monaco-editor")).toBeVisible(BOOT);
    const seen = await page.evaluate(() => (window as unknown as { seen: { monaco: number; output: number } }).seen);
    expect(seen.monaco).toBeGreaterThan(seen.output);
  });

  test("a browser with neither cross-origin isolation nor service workers gets a clear message instead of Run", async ({ page }) => {
    // Without isolation, Python runs in compatibility mode, through the site's service worker
    // (tests/e2e/compat.spec.ts); without that as well, nothing can run it.
    await page.addInitScript(() => {
      Object.defineProperty(window, "crossOriginIsolated", { value: false });
      Object.defineProperty(navigator, "serviceWorker", { value: undefined });
    });
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await expect(hello.region.getByRole("alert")).toContainText("Python cannot run in this browser", BOOT);
    await expect(hello.button("Run")).toHaveCount(0);
  });

  test("on a touch device the code is edited in a plain text area and still runs", async ({ browser }) => {
    const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await hello.code.tap();
    const area = hello.region.locator("textarea");
    await expect(area).toBeFocused();
    await area.fill("print('from a phone')");
    await hello.button("Run").click();
    await expect(hello.output()).toContainText("from a phone", BOOT);
    await context.close();
  });

  test("the fixture lesson page has no serious accessibility violations", async ({ page }) => {
    await page.goto("/dev/editor");
    const hello = example(page, "hello.py");
    await hello.button("Run").click();
    await expect(hello.output()).toContainText("Hello from Spawnpoint", BOOT);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
