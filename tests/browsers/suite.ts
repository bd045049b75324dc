/**
 * The core subset every browser runs (Chromium runs the same things, and more, through
 * Playwright in tests/e2e). Real lessons where the subset names one, the editor's fixture
 * lesson (/dev/editor) for the rest. Python really runs, so waits are generous: the suite
 * runs on two loaded cores.
 */
import { LESSON_SAMPLE } from "./lesson-sample";
import { assert, waitFor, type Tab } from "./tab";

export interface Case {
  name: string;
  run(tab: Tab, base: string): Promise<void>;
}

/** A long boot (first Run of a fresh profile, slower engines) and an ordinary step. */
const BOOT = 150_000;
const STEP = 30_000;

const region = (name: string) => `sp.region(${JSON.stringify(name)})`;
const button = (regionName: string, label: string) => `return sp.button(${region(regionName)}, ${JSON.stringify(label)});`;
/** An expression for the text of an example's log (its terminal by default). */
const terminal = (regionName: string, log = "Terminal output") => `sp.text(sp.log(${region(regionName)}, ${JSON.stringify(log)}))`;
const logText = (regionName: string, log = "Terminal output") => `return ${terminal(regionName, log)};`;

async function waitForText(tab: Tab, regionName: string, text: string, timeout = STEP, log = "Terminal output"): Promise<void> {
  await waitFor(tab, `return ${terminal(regionName, log)}.includes(${JSON.stringify(text)});`, `"${text}" in ${regionName}'s ${log}`, timeout);
}

/** Waits until the example's Run button exists (hydrated) and clicks it. */
async function clickRun(tab: Tab, regionName: string, label = "Run"): Promise<void> {
  // Enabled once the page has hydrated: a click on the server's HTML would do nothing.
  await waitFor(tab, `const b = (() => { ${button(regionName, label)} })(); return b && !b.disabled;`, `the ${label} button of ${regionName}, enabled`, STEP);
  await tab.click(button(regionName, label));
}

/**
 * Opens `path` unless the tab is already there: cases that share a page share its booted
 * runtime (each boot costs seconds, far more in a loaded WebKit), as a reader's tab would.
 */
async function visit(tab: Tab, base: string, path: string): Promise<void> {
  const here = await tab.eval<string>(`return location.origin + location.pathname + location.search;`).catch(() => "");
  if (here === `${base}${path}`) await tab.eval(`scrollTo(0, 0); return true;`);
  else await tab.goto(`${base}${path}`);
}

async function lessonIsolated(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/en/start-and-join");
  const state = await tab.eval<{ coi: boolean; sab: string; h1: string }>(
    `return { coi: crossOriginIsolated, sab: typeof SharedArrayBuffer, h1: document.querySelector("h1")?.textContent ?? "" };`,
  );
  assert(state.coi, "the lesson page is not cross-origin isolated");
  assert(state.sab === "function", `SharedArrayBuffer is ${state.sab}`);
  assert(state.h1.length > 0, "the lesson has no title");
}

async function startAndJoin(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/en/start-and-join");
  await clickRun(tab, "main.py");
  await waitForText(tab, "main.py", "parent: after join, alive? False", BOOT);
  const out = await tab.eval<string>(logText("main.py"));
  for (const line of ["parent: started the child, not waiting", "parent: is the child alive? True", "child: finished"]) {
    assert(out.includes(line), `missing "${line}" in:\n${out}`);
  }
  await waitFor(tab, `return ${region("main.py")}.textContent.includes("Output matches the lesson.");`, "the lesson's output check", STEP);
}

async function schedulerSteps(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/en/start-and-join");
  const sched = `document.querySelector("[data-scheduler]")`;
  await waitFor(tab, `return sp.button(${sched}, "Step forward");`, "the scheduler view", STEP);
  const caption0 = await tab.eval<string>(`return ${sched}.querySelector("[data-caption]").textContent;`);
  for (let i = 0; i < 2; i++) await tab.click(`return sp.button(${sched}, "Step forward");`);
  await waitFor(tab, `return ${sched}.dataset.step === "2" && /step=2$/.test(location.hash);`, "step 2 in the view and the URL", STEP);
  const caption2 = await tab.eval<string>(`return ${sched}.querySelector("[data-caption]").textContent;`);
  assert(caption2 !== caption0, "the caption did not change with the step");
  await tab.click(`return sp.button(${sched}, "Step back");`);
  await waitFor(tab, `return ${sched}.dataset.step === "1";`, "step 1 after Step back", STEP);
}

async function tcpExample(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/en/tcp-server");
  const name = "#whole-scene";
  await waitFor(tab, `return ${region(name)};`, "the whole-scene example", STEP);
  await clickRun(tab, name);
  await waitForText(tab, name, "server stopped with exitcode -15", BOOT);
  const out = await tab.eval<string>(logText(name));
  assert(out.includes("ana got 'HI FROM ANA'") && out.includes("bo got 'HI FROM BO'"), `clients' replies missing in:\n${out}`);
  assert((out.match(/client hung up, exiting/g) ?? []).length === 2, `expected two handlers exiting in:\n${out}`);
}

async function stopInfiniteLoop(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/dev/editor");
  await clickRun(tab, "forever.py");
  await waitForText(tab, "forever.py", "still running", BOOT);
  await tab.click(button("forever.py", "Stop"));
  await waitForText(tab, "forever.py", "Program stopped.");
  await waitFor(tab, `return sp.button(${region("forever.py")}, "Stop").disabled;`, "Stop disabled after stopping", STEP);
}

async function inputPrompt(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/dev/editor");
  await clickRun(tab, "greet.py");
  await waitForText(tab, "greet.py", "Your name?", BOOT);
  await tab.click(`return ${region("greet.py")}.querySelector('section[aria-label="Terminal"] .xterm-screen');`);
  await tab.type("Adx");
  await tab.press("Backspace");
  await tab.type("a");
  await tab.press("Enter");
  await waitForText(tab, "greet.py", "Hello, Ada!");
  await waitForText(tab, "greet.py", "More?");
  await tab.press("d", true);
  await waitForText(tab, "greet.py", "EOF received");
  await waitForText(tab, "greet.py", "Program exited.");
}

async function shellTab(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/dev/editor");
  await waitFor(tab, `return sp.tab(${region("hello.py")}, "Shell");`, "the Shell tab", STEP);
  await tab.click(`return sp.tab(${region("hello.py")}, "Shell");`);
  await waitForText(tab, "hello.py", "$", BOOT, "Shell output");
  await tab.click(`return ${region("hello.py")}.querySelector('section[aria-label="Shell"] .xterm-screen');`);
  await tab.type("python main.py");
  await tab.press("Enter");
  await waitForText(tab, "hello.py", "Hello from Spawnpoint", BOOT, "Shell output");
}

async function shareRoundTrip(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/dev/editor");
  const lines = `return ${region("hello.py")}.querySelector(".monaco-editor .view-lines");`;
  await waitFor(tab, lines, "Monaco in hello.py", BOOT);
  await tab.click(lines);
  await tab.press("a", true);
  await tab.press("Delete");
  await tab.type("print('shared', 6 * 7)");
  await waitFor(tab, `return ${region("hello.py")}.textContent.includes("modified");`, "the modified marker", STEP);
  await tab.click(button("hello.py", "Share"));
  const link = await waitFor<string>(tab, `return ${region("hello.py")}.querySelector("label input[readonly]")?.value;`, "the share link", STEP);
  assert(/#share=hello~/.test(link), `unexpected share link ${link}`);
  // Opened fresh, as the person the link was sent to would: no saved edits of our own.
  await tab.eval(`localStorage.clear(); return true;`);
  await visit(tab, base, "/");
  await tab.goto(link);
  await waitFor(tab, `return ${region("hello.py")}?.textContent.includes("This code came from a shared link");`, "the shared-link notice", STEP);
  const code = await tab.eval<string>(`return ${region("hello.py")}.querySelector(".sp-code-static").textContent;`);
  assert(code.includes("print('shared', 6 * 7)"), `the shared code is not shown: ${code}`);
  assert(!(await tab.eval<boolean>(`return Boolean(sp.log(${region("hello.py")}, "Terminal output"));`)), "opening a share link ran the code");
  await clickRun(tab, "hello.py");
  await waitForText(tab, "hello.py", "shared 42", BOOT);
}

/**
 * Clicks Run the moment a programmatic scroll starts, at the coordinates the button has
 * then. With `scroll-behavior: smooth` the page is still moving and the click lands on
 * whatever slides under the pointer; with instant scrolls it lands on Run.
 */
export async function clickDuringScroll(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/dev/editor");
  await waitFor(tab, button("orphan.py", "Run"), "orphan.py's Run button", STEP);
  await tab.eval(`scrollTo(0, 0); return true;`);
  const at = await tab.eval<{ x: number; y: number }>(`
    document.getElementById("orphan")?.scrollIntoView() ?? ${region("orphan.py")}.scrollIntoView();
    const r = sp.button(${region("orphan.py")}, "Run").getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };`);
  await tab.clickAt(at.x, at.y);
  await waitForText(tab, "orphan.py", "killed the child", BOOT);
  await tab.click(button("orphan.py", "Stop"));
}

export const CORE: Case[] = [
  { name: "a lesson loads cross-origin isolated", run: lessonIsolated },
  { name: "start-and-join runs with the lesson's expected output", run: startAndJoin },
  { name: "the scheduler view steps forward and back, with the step in the URL", run: schedulerSteps },
  { name: "the TCP lesson's server, clients and handlers run", run: tcpExample },
  { name: "Stop ends an infinite loop", run: stopInfiniteLoop },
  { name: "input() reads a line typed in the terminal, Ctrl-D is end of file", run: inputPrompt },
  { name: "the Shell tab runs the example's file", run: shellTab },
  { name: "a click on Run during a programmatic scroll lands on Run", run: clickDuringScroll },
  // Last: it leaves the editor page for a fresh one opened from the link.
  { name: "a share link round-trips edited code, shown and not run", run: shareRoundTrip },
];

/**
 * The static export (`npm run build:static`) from a plain file server that sends no headers
 * (`base` is that server): the service worker makes the page isolated after one reload, and
 * start-and-join runs. run.ts runs it when STATIC_DIR names an export.
 */
async function staticExport(tab: Tab, base: string): Promise<void> {
  await tab.goto(`${base}/en/start-and-join/`);
  await waitFor(tab, `return crossOriginIsolated && typeof SharedArrayBuffer === "function";`, "isolation through the service worker", STEP);
  await clickRun(tab, "main.py");
  try {
    await waitFor(tab, `return ${region("main.py")}.textContent.includes("Output matches the lesson.");`, "the lesson's output check", BOOT);
  } catch (error) {
    // What the page shows and what it fetched, to tell a boot that never ended from a program that hung.
    const seen = await tab
      .eval<string>(
        `const offline = document.querySelector("[data-testid=offline-status]");
        const files = performance.getEntriesByType("resource").filter((e) => /pyodide|worker/.test(e.name)).map((e) => e.name.replace(location.origin, "") + " " + Math.round(e.responseEnd));
        const marks = performance.getEntriesByType("mark").map((m) => m.name + " " + Math.round(m.startTime));
        return JSON.stringify({ terminal: ${terminal("main.py")}.slice(-300), offline: offline && offline.dataset.state + " " + offline.textContent, controller: navigator.serviceWorker.controller?.state, at: Math.round(performance.now()), files, marks });`,
      )
      .catch((e: unknown) => `(the page did not answer: ${String(e)})`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${seen}`);
  }
}

export const STATIC_EXPORT: Case = { name: "the static export from a plain file server: isolated by its service worker, Python runs", run: staticExport };

/**
 * Where SharedArrayBuffer is missing (stock WebKitGTK): Python runs in compatibility mode (the
 * relay runtime, through the site's service worker), and the example says so and why. The
 * rest of the core subset runs as in every browser, then a sample of lesson blocks (lesson-sample.ts).
 */
async function compatibilityMode(tab: Tab, base: string): Promise<void> {
  await visit(tab, base, "/en/start-and-join");
  const sab = await tab.eval<string>(`return typeof SharedArrayBuffer;`);
  assert(sab === "undefined", `this run expects no SharedArrayBuffer, found ${sab}`);
  const why = await waitFor<string>(tab, `return ${region("main.py")}?.querySelector("[data-runtime-mode=relay]")?.getAttribute("title");`, "the compatibility badge", STEP);
  assert(why.includes("this browser does not offer SharedArrayBuffer"), `unexpected reason: ${why}`);
}

export const WITHOUT_SAB: Case[] = [
  { name: "without SharedArrayBuffer the example runs in compatibility mode and says why", run: compatibilityMode },
  ...CORE.filter((c) => c.run !== lessonIsolated),
  LESSON_SAMPLE,
];

/** Last in every run: console.error, uncaught errors and rejections of every page visited. */
export const NO_CONSOLE_ERRORS: Case = {
  name: "no console errors on any page visited",
  async run(tab) {
    const errors = await tab.errors();
    assert(errors.length === 0, `console errors:\n${errors.join("\n")}`);
  },
};
