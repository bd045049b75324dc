import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "./warm-context";
import { encodeShare } from "../../lib/playground/share";

/**
 * Step mode in the live editor, on real Python (Pyodide workers, the controlled runner):
 * the reader chooses which process moves, lanes and gutter markers follow, output appears
 * in the chosen order, Back replays exactly, a shared interleaving comes back without
 * running until asked, and all of it works from the keyboard alone.
 */
test.setTimeout(240_000);
const BOOT = { timeout: 120_000 };

// Two children that print twice each: which child's line comes first is the reader's choice.
const PROGRAM = `import multiprocessing as mp

def work(name):
    print(f"{name} one", flush=True)
    print(f"{name} two", flush=True)

if __name__ == "__main__":
    ps = [mp.Process(target=work, args=(n,)) for n in ("a", "b")]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("done", flush=True)
`;

async function open(page: Page, program = PROGRAM): Promise<Locator> {
  const fragment = await encodeShare({ blockId: "hello", files: { "main.py": program }, entry: "main.py" });
  await page.goto(`/dev/editor#${fragment}`);
  const region = page.getByRole("region", { name: "hello.py", exact: true });
  await expect(region.getByText("This code came from a shared link")).toBeVisible();
  return region;
}

const panelOf = (region: Locator) => region.getByRole("region", { name: "Step mode" });
const lane = (panel: Locator, pid: number) => panel.locator(`[data-step-lane="${pid}"]`);
const output = (panel: Locator) => panel.locator("[data-step-output]");

/**
 * Steps whichever process is not about to print (`press` gets its lane's number and pid)
 * until both children wait at their first print.
 */
async function untilChildrenPrint(panel: Locator, press: (n: number, pid: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
    const lanes = await panel.locator("[data-step-lane]").evaluateAll((els) =>
      els.map((el) => ({ pid: Number(el.getAttribute("data-step-lane")), state: el.getAttribute("data-state"), text: el.textContent ?? "" })),
    );
    const printing = lanes.filter((l) => l.state === "ready" && l.text.includes("write stdout") && !l.text.includes("MainProcess"));
    if (printing.length === 2) return;
    const n = lanes.findIndex((l) => l.state === "ready" && !printing.includes(l));
    if (n < 0) throw new Error(`nothing to step: ${JSON.stringify(lanes)}`);
    const before = await panel.getAttribute("data-steps");
    await press(n + 1, lanes[n].pid);
    await expect(panel).not.toHaveAttribute("data-steps", before ?? "", BOOT);
  }
  throw new Error("the children never reached their first print");
}

test("Step: the reader picks who moves, lanes, markers and output follow, back is exact, the interleaving is shared", async ({ page, context }) => {
  const region = await open(page);
  await region.getByRole("button", { name: "Step", exact: true }).click();
  const panel = panelOf(region);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(lane(panel, 2)).toContainText("MainProcess");

  await untilChildrenPrint(panel, (_, pid) => lane(panel, pid).getByRole("button").click());
  // Both children wait at line 4, each with a gutter marker in its lane's colour.
  await expect(lane(panel, 3)).toHaveAttribute("data-line", "4");
  await expect(lane(panel, 4)).toHaveAttribute("data-line", "4");
  // Markers: Monaco's gutter decoration once it has loaded, and the static view's twin (data-marker-line).
  const overlay4 = region.locator(".sp-step-overlay.sp-step-hue-4");
  await expect(overlay4).toHaveAttribute("data-marker-line", "4");
  await expect(region.locator('[data-testid="monaco-host"] .sp-step-mark.sp-step-hue-4')).toHaveCount(1, BOOT);

  // The second child first, then the first: output in that order.
  await lane(panel, 4).getByRole("button", { name: /Step Process-2/ }).click();
  await expect(output(panel)).toHaveText("b one\n", BOOT);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(lane(panel, 4)).toHaveAttribute("data-line", "5");
  await expect(overlay4).toHaveAttribute("data-marker-line", "5");
  await expect(region.locator('[data-testid="monaco-host"] .sp-step-mark.sp-step-hue-3')).toHaveCount(1);
  await lane(panel, 3).getByRole("button", { name: /Step Process-1/ }).click();
  await expect(output(panel)).toHaveText("b one\na one\n", BOOT);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  const steps = Number(await panel.getAttribute("data-steps"));
  // The interleaving so far is drawn on the scheduler view, one column per step.
  await expect(panel.locator("[data-scheduler]")).toHaveAttribute("data-step", String(steps + 1));

  // Back: a fresh run replays every decision but the last.
  await panel.getByRole("button", { name: "Back", exact: true }).click();
  await expect(panel).toHaveAttribute("data-steps", String(steps - 1), BOOT);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(output(panel)).toHaveText("b one\n");
  await expect(lane(panel, 3)).toHaveAttribute("data-state", "ready");

  // Share: the link holds the code and the interleaving; opening it runs nothing.
  await panel.getByRole("button", { name: "Share this interleaving" }).click();
  const url = await panel.locator("[data-step-share]").inputValue();
  expect(url).toContain("#share=hello~");
  const other = await context.newPage();
  await other.goto(url);
  const region2 = other.getByRole("region", { name: "hello.py", exact: true });
  const panel2 = panelOf(region2);
  await expect(panel2).toContainText(`This link holds an interleaving of ${steps - 1} steps`, BOOT);
  await other.waitForTimeout(1000);
  await expect(panel2).toHaveAttribute("data-phase", "idle");
  await expect(panel2.locator("[data-step-lane]")).toHaveCount(0);
  await panel2.getByRole("button", { name: `Replay the shared ${steps - 1} steps` }).click();
  await expect(panel2).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(panel2).toHaveAttribute("data-steps", String(steps - 1));
  await expect(output(panel2)).toHaveText("b one\n");
  await other.close();

  // Finish at random: the run ends with every line printed once.
  await panel.getByRole("button", { name: "Finish with random choices" }).click();
  await expect(panel).toHaveAttribute("data-phase", "finished", BOOT);
  await expect(output(panel)).toContainText("done");
});

test("Step by keyboard alone, axe clean", async ({ page }) => {
  const region = await open(page);
  await region.getByRole("button", { name: "Step", exact: true }).focus();
  await page.keyboard.press("Enter");
  const panel = panelOf(region);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(panel).toBeFocused();
  // Number keys step lanes until the children wait to print; then 3 = Process-2.
  await untilChildrenPrint(panel, (n) => page.keyboard.press(String(n)));
  await page.keyboard.press("3");
  await expect(output(panel)).toHaveText("b one\n", BOOT);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  const steps = Number(await panel.getAttribute("data-steps"));
  await page.keyboard.press("b");
  await expect(panel).toHaveAttribute("data-steps", String(steps - 1), BOOT);
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  // A lane's button takes Enter.
  await lane(panel, 3).getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(output(panel)).toHaveText("a one\n", BOOT);

  const results = await new AxeBuilder({ page }).include('[data-example-id="hello"]').analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

// Three buyers, one ticket, no lock: search finds the oversell on plain code.
const TICKETS = readFileSync(path.join(__dirname, "..", "programs", "sched_tickets.py"), "utf8");

test("Find a schedule that breaks this: the oversell, steppable from where it diverges", async ({ page }) => {
  // Monaco's load waits while the search runs. It begins once the whole pool has booted and
  // the page is quiet, which may come just before the first choice: then the page is opened
  // again, until the search starts with the static view still there.
  let region: Locator | null = null;
  let editorDuringSearch: Promise<string[]> | null = null;
  for (let attempt = 0; attempt < 4 && !editorDuringSearch; attempt++) {
    if (attempt > 0) await page.goto("about:blank"); // a new document: the same link again would only scroll
    region = await open(page, TICKETS);
    await region.getByRole("button", { name: "Step", exact: true }).click();
    await expect(panelOf(region)).toHaveAttribute("data-phase", "choosing", BOOT);
    if ((await region.locator("[data-editor]").getAttribute("data-editor")) !== "static") continue;
    // Every state the editor is in from here until the search is done.
    editorDuringSearch = page.evaluate(async () => {
      const example = document.querySelector('[data-example-id="hello"]')!;
      const states = new Set<string>();
      for (let seen = false; !seen || example.querySelector('[data-step-search="done"]') === null; ) {
        seen ||= example.querySelector("[data-step-search]") !== null;
        states.add(example.querySelector("[data-editor]")?.getAttribute("data-editor") ?? "none");
        await new Promise((f) => setTimeout(f, 5));
      }
      return [...states];
    });
    await panelOf(region).getByRole("button", { name: "Find a schedule that breaks this" }).click();
  }
  if (!region || !editorDuringSearch) throw new Error("Monaco was loading before every search began");
  const panel = panelOf(region);
  const box = panel.locator("[data-step-search]");
  await expect(box).toHaveAttribute("data-step-search", "done", { timeout: 200_000 });
  expect(await editorDuringSearch).toEqual(["static"]);
  await expect(region.locator('[data-editor="monaco"]')).toBeVisible(BOOT);
  await expect(box).toHaveAttribute("data-found", "true");
  await expect(box).toContainText(/Schedule \d+ failed .*AssertionError: oversold/);
  // Replayed to the step where it leaves the default order: that step's lane is marked.
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(panel.locator("[data-step-failing]")).toContainText("It first leaves the default order at step");
  await expect(panel.locator("[data-step-lane][data-hint]")).toHaveCount(1);
  await panel.getByRole("button", { name: "Follow the failing schedule to the end" }).click();
  await expect(panel).toHaveAttribute("data-phase", "finished", BOOT);
  await expect(panel.getByRole("status").first()).toContainText("AssertionError: oversold");
  await expect(output(panel)).toContainText("oversold: 2 tickets sold");
});

test("Step on a touch screen, in Chinese: taps move the lanes to the end, markers in the text view, axe clean", async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/zh/start-and-join");
  const example = page.locator('[data-example-id="two-counters"]');
  await example.scrollIntoViewIfNeeded();
  await example.getByRole("button", { name: "单步", exact: true }).tap();
  const panel = example.getByRole("region", { name: "单步模式" });
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await expect(panel.getByRole("button", { name: /让 MainProcess（pid \d+）走一步/ })).toBeVisible();
  // On touch the editor is a plain text view: a process's current line is marked by its overlay.
  const markers = new Set<string>();
  for (let i = 0; i < 200; i++) {
    for (const line of await example.locator(".sp-step-overlay").evaluateAll((els) => els.map((el) => el.getAttribute("data-marker-line") ?? ""))) markers.add(line);
    const phase = await panel.getAttribute("data-phase");
    if (phase === "finished") break;
    if (phase !== "choosing") {
      await expect(panel).toHaveAttribute("data-phase", /choosing|finished/, BOOT);
      continue;
    }
    const before = await panel.getAttribute("data-steps");
    await panel.locator('[data-step-lane][data-state="ready"]').first().getByRole("button").tap();
    await expect(panel).not.toHaveAttribute("data-steps", before ?? "", BOOT);
  }
  await expect(panel).toHaveAttribute("data-phase", "finished", BOOT);
  // The children's print line (6) and the main block's lines were marked on the way.
  expect(markers).toContain("6");
  await expect(output(panel)).toContainText("both done");
  for (const line of ["A: 1", "A: 3", "B: 1", "B: 3"]) await expect(output(panel)).toContainText(line);
  await expect(panel).toContainText("运行结束。");
  const results = await new AxeBuilder({ page }).include('[data-example-id="two-counters"]').analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await context.close();
});

// Lesson 9: the race found on plain code (no Barrier, no sleep), then the locked version's
// search comes back clean within its bound.
test("Lesson 9: the search finds the plain-code oversell, and finds nothing once the Lock is in", async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto("/en/locks");
  const race = page.locator('[data-example-id="plain-race"]');
  await race.scrollIntoViewIfNeeded();
  await race.getByRole("button", { name: "Step", exact: true }).click();
  const panel = race.getByRole("region", { name: "Step mode" });
  await expect(panel).toHaveAttribute("data-phase", "choosing", BOOT);
  await panel.getByRole("button", { name: "Find a schedule that breaks this" }).click();
  const box = panel.locator("[data-step-search]");
  await expect(box).toHaveAttribute("data-step-search", "done", { timeout: 200_000 });
  await expect(box).toHaveAttribute("data-found", "true");
  await expect(box).toContainText(/AssertionError: oversold: 2 tickets sold/);
  await expect(panel.locator("[data-step-failing]")).toContainText("It first leaves the default order at step");

  const locked = page.locator('[data-example-id="plain-race-locked"]');
  await locked.scrollIntoViewIfNeeded();
  await locked.getByRole("button", { name: "Step", exact: true }).click();
  const lockedPanel = locked.getByRole("region", { name: "Step mode" });
  await expect(lockedPanel).toHaveAttribute("data-phase", "choosing", BOOT);
  await lockedPanel.getByRole("button", { name: "Find a schedule that breaks this" }).click();
  const lockedBox = lockedPanel.locator("[data-step-search]");
  await expect(lockedBox).toHaveAttribute("data-step-search", "done", { timeout: 300_000 });
  await expect(lockedBox).toHaveAttribute("data-found", "false");
  await expect(lockedBox).toContainText(/\d+ schedules explored \(all with at most 2 preemptions\).*: none failed/);
});
