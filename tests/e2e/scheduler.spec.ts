import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./warm-context";

/** The fixture page renders `<Scheduler scenario=… />` (app/dev/scheduler/page.dev.tsx). */
const fixture = (query: string, hash = "") => `/dev/scheduler?${query}${hash}`;

function scheduler(page: Page, title: RegExp) {
  const region = page.getByRole("region", { name: title });
  return {
    region,
    step: async () => Number(await region.getAttribute("data-step")),
    caption: region.locator("[data-caption]"),
    node: (pid: number) => region.locator(`g[data-pid="${pid}"]`),
    button: (name: string | RegExp) => region.getByRole("button", { name, exact: typeof name === "string" }),
    slider: region.getByRole("slider", { name: "Step" }),
  };
}

test.describe("Scheduler view", () => {
  test("user can step forward and back with the buttons, and the step goes in the URL", async ({ page }) => {
    await page.goto(fixture("scenario=zombie"));
    const s = scheduler(page, /Scheduler: a zombie/);
    await expect(s.region).toHaveAttribute("data-step", "0");
    await expect(s.button("Step back")).toBeDisabled();
    for (let i = 0; i < 3; i++) await s.button("Step forward").click();
    await expect(s.region).toHaveAttribute("data-step", "3");
    await expect(page).toHaveURL(/#step=3$/);
    await s.button("Step back").click();
    await expect(s.region).toHaveAttribute("data-step", "2");
    await expect(s.caption).toContainText("has booted and is ready to run");
    await expect(s.node(101)).toHaveAttribute("data-state", "ready");
  });

  test("user can drive it from the keyboard when it has focus", async ({ page }) => {
    await page.goto(fixture("scenario=zombie"));
    const s = scheduler(page, /Scheduler: a zombie/);
    await s.region.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect(s.region).toHaveAttribute("data-step", "2");
    await page.keyboard.press("ArrowLeft");
    await expect(s.region).toHaveAttribute("data-step", "1");
    await page.keyboard.press("Space");
    await expect(s.button("Pause")).toBeVisible();
    await expect.poll(s.step, { timeout: 5_000 }).toBeGreaterThan(1);
    await page.keyboard.press("Space");
    await expect(s.button("Play")).toBeVisible();
    const paused = await s.step();
    await page.waitForTimeout(2_000);
    expect(await s.step()).toBe(paused);
  });

  test("user can open a shared URL and land on the same moment", async ({ page }) => {
    await page.goto(fixture("scenario=zombie", "#step=6"));
    const s = scheduler(page, /Scheduler: a zombie/);
    await expect(s.region).toHaveAttribute("data-step", "6");
    await expect(s.caption).toContainText("stays a zombie");
    await expect(s.node(101)).toHaveAttribute("data-state", "zombie");
    await expect(s.node(101)).toContainText("exit 0");
  });

  test("user can scrub with the slider, play to the end and restart", async ({ page }) => {
    await page.goto(fixture("scenario=daemon"));
    const s = scheduler(page, /Scheduler: daemon vs non-daemon/);
    await s.slider.fill("8");
    await expect(s.region).toHaveAttribute("data-step", "8");
    await expect(s.caption).toContainText("terminates its daemon child Process-1");
    await expect(s.node(101)).toHaveAttribute("data-state", "zombie");
    await s.region.getByLabel("Speed").selectOption("4");
    await s.button("Play").click();
    await expect(s.caption).toContainText("Every process has ended and been reaped", { timeout: 15_000 });
    await expect(s.button("Play")).toBeVisible();
    await s.button("Restart").click();
    await expect(s.region).toHaveAttribute("data-step", "0");
    await expect(page).not.toHaveURL(/step=/);
  });

  test("user sees an orphan's edge move from its dead parent to init", async ({ page }) => {
    await page.goto(fixture("scenario=orphan", "#step=4"));
    const s = scheduler(page, /Scheduler: an orphan/);
    await expect(s.caption).toContainText("killed from outside");
    await expect(s.region.locator('path[data-edge="100-101"]')).toHaveCount(1);
    const before = await s.node(101).boundingBox();
    await s.button("Step forward").click();
    await expect(s.caption).toContainText("init (pid 1) adopts it");
    await expect(s.node(101)).toHaveAttribute("data-ppid", "1");
    await expect(s.region.locator('path[data-edge="1-101"]')).toHaveCount(1);
    await expect(s.node(101)).toContainText("ppid 1 (was 100)");
    // The node moves up a row, under init (after its transition).
    await expect.poll(async () => (await s.node(101).boundingBox())?.y ?? 0).toBeLessThan((before?.y ?? 0) - 20);
  });

  test("each scheduler on a page keeps its own step in the URL", async ({ page }) => {
    await page.goto(fixture("scenario=zombie&two=orphan"));
    const zombie = scheduler(page, /Scheduler: a zombie/);
    const orphan = scheduler(page, /Scheduler: an orphan/);
    await orphan.button("Step forward").click();
    await orphan.button("Step forward").click();
    await zombie.button("Step forward").click();
    await expect(page).toHaveURL(/#sched-orphan=2&sched-zombie=1$/);
    await page.reload();
    await expect(orphan.region).toHaveAttribute("data-step", "2");
    await expect(zombie.region).toHaveAttribute("data-step", "1");
  });

  test("a lone #step=N belongs to the first scheduler, not to a second one", async ({ page }) => {
    await page.goto(fixture("scenario=zombie&two=orphan", "#step=6"));
    await expect(scheduler(page, /Scheduler: a zombie/).region).toHaveAttribute("data-step", "6");
    await expect(scheduler(page, /Scheduler: an orphan/).region).toHaveAttribute("data-step", "0");
  });

  test("user can read the steps so far and jump back to one", async ({ page }) => {
    await page.goto(fixture("scenario=zombie", "#step=3"));
    const s = scheduler(page, /Scheduler: a zombie/);
    await s.region.getByText("Steps so far").click();
    const items = s.region.getByRole("listitem").filter({ has: page.getByRole("button") });
    await expect(items).toHaveCount(4); // steps 0..3, nothing from the future
    await expect(s.region.locator('[aria-current="step"]')).toContainText("time slice");
    await items.nth(1).getByRole("button").click();
    await expect(s.region).toHaveAttribute("data-step", "1");
    await expect(s.caption).toContainText("starts a child, Process-1");
  });

  test("a lesson can write its own scenario inline, and a broken one is reported in place", async ({ page }) => {
    await page.goto(fixture("custom=1"));
    const s = scheduler(page, /Scheduler: a scenario/);
    await s.region.focus();
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await expect(s.caption).toContainText("init reaps MainProcess");
    const sleeper = s.region.locator("g[data-pid]", { hasText: "sleeper" });
    await expect(sleeper).toHaveAttribute("data-state", "reaped");
    await expect(sleeper).toContainText("exit -9");
    await page.goto(fixture("custom=broken"));
    await expect(page.getByRole("main").getByRole("alert")).toContainText('no process named "nobody"');
  });

  test("user reading in Chinese gets Chinese captions and control names", async ({ page }) => {
    await page.goto(fixture("scenario=zombie&lang=zh", "#step=6"));
    const region = page.getByRole("region", { name: /调度器：僵尸进程/ });
    await expect(region.locator("[data-caption]")).toContainText("僵尸进程");
    await expect(region.getByRole("button", { name: "播放" })).toBeVisible();
    await expect(region.getByRole("button", { name: "前进一步" })).toBeVisible();
    await expect(region.locator('g[data-pid="101"]')).toContainText("僵尸");
  });

  test("instructor can switch to large mode, and size=large starts in it", async ({ page }) => {
    await page.goto(fixture("scenario=zombie"));
    const s = scheduler(page, /Scheduler: a zombie/);
    const fontSize = () => s.region.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const normal = await fontSize();
    await s.button("Large mode").click();
    await expect(s.button("Large mode")).toHaveAttribute("aria-pressed", "true");
    expect(await fontSize()).toBeGreaterThan(normal * 1.25);
    await page.goto(fixture("scenario=zombie&size=large"));
    await expect(s.button("Large mode")).toHaveAttribute("aria-pressed", "true");
  });

  test("reader on a 375px phone gets no sideways scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(fixture("scenario=daemon", "#step=5"));
    await expect(scheduler(page, /Scheduler: daemon/).region).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test("reader who prefers reduced motion gets no animated moves", async ({ page }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(fixture("scenario=orphan", "#step=4"));
    const node = scheduler(page, /Scheduler: an orphan/).node(101);
    expect(await node.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe("0s");
    await page.emulateMedia({ reducedMotion: "no-preference" });
    expect(await node.evaluate((el) => getComputedStyle(el).transitionDuration)).not.toBe("0s");
  });

  for (const theme of ["light", "dark"] as const) {
    test(`has no accessibility violations in the ${theme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.addInitScript((t) => localStorage.setItem("spawnpoint-theme", t), theme);
      await page.goto(fixture("scenario=daemon", "#step=9"));
      const region = scheduler(page, /Scheduler: daemon/).region;
      await expect(region).toBeVisible();
      if (theme === "dark") await expect(page.locator("html")).toHaveClass(/dark/);
      const results = await new AxeBuilder({ page }).include('[data-scheduler="daemon"]').analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  }

  test("lesson page embeds the scheduler from MDX in the page's language", async ({ page }) => {
    await page.goto("/zh/zombies");
    const region = page.getByRole("region", { name: /调度器/ });
    await expect(region).toBeVisible();
    await region.getByRole("button", { name: "前进一步" }).click();
    await expect(region.locator("[data-caption]")).toContainText("子进程");
  });
});

/**
 * "Replay this run" in the live editor (its fixture lesson at /dev/editor): real Python runs
 * in Pyodide workers, and the kernel's event stream is replayed on the scheduler view.
 */
test.describe("Replay of a real run", () => {
  test.setTimeout(120_000);
  const BOOT = { timeout: 60_000 };

  test("user can replay a run that left a zombie and step to the zombie", async ({ page }) => {
    await page.goto("/dev/editor");
    const example = page.getByRole("region", { name: "zombie.py", exact: true });
    await example.getByRole("button", { name: "Run", exact: true }).click();
    await expect(example.getByRole("log", { name: "Terminal output" })).toContainText("child done", BOOT);
    await expect(example.getByRole("table", { name: "Processes" }).getByRole("row", { name: /Process-1/ })).toContainText("zombie");
    await example.getByRole("button", { name: "Replay this run" }).click();
    const replay = scheduler(page, /Scheduler: replay of your run/);
    await expect(replay.region).toBeVisible();
    await expect(replay.caption).toContainText("Replay of your run: MainProcess");
    await replay.region.focus();
    await page.keyboard.press("End");
    const child = replay.region.locator("g[data-pid]", { hasText: "Process-1" });
    await expect(child).toHaveAttribute("data-state", "zombie");
    await expect(child).toContainText("exit 0");
    await expect(replay.region.locator("g[data-pid]", { hasText: "MainProcess" })).toHaveAttribute("data-state", "sleeping");
    // Stepping back through the real run reaches the moment the child was started.
    for (let i = 0; i < 40 && (await child.count()) > 0; i++) await replay.button("Step back").click();
    await expect(child).toHaveCount(0);
    await example.getByRole("button", { name: "Stop", exact: true }).click();
  });

  test("user can replay an orphan being adopted by init", async ({ page }) => {
    await page.goto("/dev/editor");
    const example = page.getByRole("region", { name: "orphan.py", exact: true });
    await example.getByRole("button", { name: "Run", exact: true }).click();
    await expect(example.getByRole("log", { name: "Terminal output" })).toContainText("killed the child", BOOT);
    await example.getByRole("button", { name: "Replay this run" }).click();
    const replay = scheduler(page, /Scheduler: replay of your run/);
    await replay.region.focus();
    await page.keyboard.press("End");
    const grandchild = replay.region.locator("g[data-pid]", { hasText: "Process-1:1" });
    await expect(grandchild).toHaveAttribute("data-ppid", "1");
    await expect(grandchild).toContainText(/ppid 1 \(was \d+\)/);
    // Walk back to the adoption itself: before it the grandchild's parent was Process-1.
    for (let i = 0; i < 60 && !(await replay.caption.textContent())?.includes("init (pid 1) adopts it"); i++) await page.keyboard.press("ArrowLeft");
    await expect(replay.caption).toContainText("Process-1:1 has lost its parent Process-1");
    await expect(grandchild).toHaveAttribute("data-ppid", "1");
    await page.keyboard.press("ArrowLeft");
    await expect(grandchild).not.toHaveAttribute("data-ppid", "1");
    await example.getByRole("button", { name: "Stop", exact: true }).click();
  });
});
