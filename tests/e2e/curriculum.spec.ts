import { expect, test } from "./warm-context";
import { getExercise } from "../../lib/lessons";

/**
 * The curriculum's interactive parts on a real lesson: predicting, failing and passing an
 * exercise on the in-browser Python runtime, and the lesson showing as done in the sidebar
 * (kept across reloads in localStorage).
 */
test.describe("curriculum", () => {
  test("user can answer a prediction and see the explanation", async ({ page }) => {
    await page.goto("/en/memory-isolation");
    const predict = page.getByRole("region", { name: "Predict the output" }).first();
    await predict.getByText("parent sees 100").click();
    await expect(predict.getByText("Not quite.")).toBeVisible();
    await predict.getByRole("button", { name: "Show the answer" }).click();
    await expect(predict.getByText(/increments ITS copy/)).toBeVisible();
  });

  test("user sees what is wrong, then passes the exercise and the lesson is marked done", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/en/memory-isolation");
    const sidebarMark = page.locator("aside.sidebar").getByTestId("lesson-progress-memory-isolation");
    await expect(sidebarMark).not.toHaveAttribute("data-done", /.*/);

    const exercise = page.locator('[data-exercise-id="03-main-guard"]');
    await exercise.scrollIntoViewIfNeeded();

    // The starter code has no main guard: the check runs it and explains the failure.
    await exercise.getByRole("button", { name: "Check my solution" }).click();
    const status = exercise.getByTestId("exercise-status");
    await expect(status.getByText(/Not yet:/)).toBeVisible({ timeout: 120_000 });
    await expect(status).toContainText("main guard");

    // Take the solution and check again.
    await exercise.getByRole("button", { name: "Show the solution" }).click();
    await exercise.getByRole("button", { name: "Put the solution in the editor" }).click();
    await exercise.getByRole("button", { name: "Check my solution" }).click();
    await expect(status.getByText(/Passed/)).toBeVisible({ timeout: 120_000 });

    await expect(exercise.getByTestId("exercise-completed")).toBeVisible();
    await expect(sidebarMark).toHaveAttribute("data-done", "true");

    // Progress survives a reload and shows in the other language too.
    await page.goto("/zh/memory-isolation");
    await expect(page.locator("aside.sidebar").getByTestId("lesson-progress-memory-isolation")).toHaveAttribute("data-done", "true");
    await expect(page.locator("aside.sidebar").getByTestId("lesson-progress-pids")).not.toHaveAttribute("data-done", /.*/);
  });
});

test.describe("curriculum without JavaScript", () => {
  test("user without JavaScript still sees the exercise's task, starter code and buttons", async ({ browser }) => {
    // The exercise's code loads after the page (./components/lesson/LazyExercise): its first paint is server HTML.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/en/memory-isolation");
    const exercise = page.locator('[data-exercise-id="03-main-guard"]');
    await expect(exercise.locator(".sp-code-static")).toContainText(getExercise("03-main-guard")!.starter["main.py"].split("\n")[0]);
    await expect(exercise.getByRole("button", { name: "Check my solution" })).toBeVisible();
    await context.close();
  });
});

test.describe("curriculum multi-run exercise", () => {
  test("user's ticket office is run several times: the racy one is caught, the locked one passes", async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto("/en/locks");
    const exercise = page.locator('[data-exercise-id="09-ticket-office"]');
    await exercise.scrollIntoViewIfNeeded();
    await expect(exercise.getByRole("tab", { name: "data/tickets.json" })).toBeVisible();
    const status = exercise.getByTestId("exercise-status");
    await exercise.getByRole("button", { name: "Check my solution" }).click();
    await expect(status).toContainText(/got a ticket, but there were only [1-4]\./, { timeout: 120_000 });
    await exercise.getByRole("button", { name: "Show the solution" }).click();
    await exercise.getByRole("button", { name: "Put the solution in the editor" }).click();
    await exercise.getByRole("button", { name: "Check my solution" }).click();
    await expect(status).toContainText("all 3 runs were correct", { timeout: 180_000 });
    // Then schedule search on the fix: no order of the buyers' steps oversells.
    await expect(status).toContainText(/Schedule search tried \d+ orders of the processes' steps .*: none broke it\./);
    await expect(page.locator("aside.sidebar").getByTestId("lesson-progress-locks")).toHaveAttribute("data-done", "true");
  });
});

test.describe("curriculum live runs", () => {
  test("user sees the zombie in the process panel while the parent sleeps", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/en/zombies");
    const example = page.locator('[data-example-id="zombie"]');
    await example.scrollIntoViewIfNeeded();
    await example.getByRole("button", { name: /Run/ }).first().click();
    const log = example.getByRole("log").first();
    await expect(log).toContainText("child: done", { timeout: 60_000 });
    // The child exits at once and the parent sleeps 3 s before join(): a zombie row. (Only if the
    // child ran within those 3 s: on a starved machine it may not, as with CPython.)
    await expect(log, "the child's start took longer than the parent's 3 s sleep").not.toContainText(/parent: woke up[^]*child: done/);
    await expect(example.locator('tr[data-state="zombie"]')).toHaveCount(1);
    // join() reaps it: the zombie row goes away.
    await expect(example.locator('tr[data-state="zombie"]')).toHaveCount(0, { timeout: 30_000 });
  });

  test("user sees the grandchild orphaned and adopted by init", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/en/orphans");
    const example = page.locator('[data-example-id="orphan"]');
    await example.scrollIntoViewIfNeeded();
    await example.getByRole("button", { name: /Run/ }).first().click();
    // The process panel marks the re-parented grandchild.
    await expect(example.getByRole("region", { name: /live/ }).getByText("orphan")).toBeVisible({ timeout: 60_000 });
    // The terminal's screen-reader log carries what the program printed.
    await expect(example.getByRole("log").first()).toContainText("grandchild: my parent is now 1", { timeout: 30_000 });
  });
});

test.describe("curriculum signals exercise", () => {
  test("user's worker is stopped by SIGTERM: the starter is told its exit code, a handler that finishes the item passes", async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto("/en/signals");
    const exercise = page.locator('[data-exercise-id="17-clean-shutdown"]');
    await exercise.scrollIntoViewIfNeeded();
    const status = exercise.getByTestId("exercise-status");
    await exercise.getByRole("button", { name: "Check my solution" }).click();
    // The starter has no handler: SIGTERM ends the worker at once.
    await expect(status).toContainText("the worker ended with exit code -15", { timeout: 120_000 });
    await exercise.getByRole("button", { name: "Show the solution" }).click();
    await exercise.getByRole("button", { name: "Put the solution in the editor" }).click();
    await exercise.getByRole("button", { name: "Check my solution" }).click();
    await expect(status).toContainText("Passed", { timeout: 180_000 });
    await expect(page.locator("aside.sidebar").getByTestId("lesson-progress-signals")).toHaveAttribute("data-done", "true");
  });
});

test.describe("curriculum speedup", () => {
  test("user times the prime count with 1, 2 and 4 processes in the page and sees a bar per count", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/en/why-processes");
    const example = page.locator('[data-example-id="speedup"]');
    await example.scrollIntoViewIfNeeded();
    await example.getByRole("button", { name: /Run/ }).first().click();
    const log = example.getByRole("log").first();
    await expect(log).toContainText("primes below 150000 = 13848", { timeout: 150_000 });
    const text = (await log.textContent()) ?? "";
    for (const n of [1, 2, 4]) expect(text).toMatch(new RegExp(`${n} process\\(es\\): \\d+\\.\\d\\d s, speedup \\d+\\.\\dx  #+`));
    // The page's cores are the browser's: os.cpu_count() is navigator.hardwareConcurrency.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(text).toContain(`cores: ${cores}`);
    // The same numbers, drawn: a bar per count, each at the speedup the program printed.
    const chart = example.getByTestId("speedup-chart");
    await expect(chart).toContainText(`(${cores} ${cores === 1 ? "core" : "cores"})`);
    const bars = chart.locator("[data-processes]");
    await expect(bars).toHaveCount(3);
    for (const [i, n] of [1, 2, 4].entries()) {
      const printed = new RegExp(`${n} process\\(es\\): \\d+\\.\\d\\d s, speedup (\\d+\\.\\d)x`).exec(text)?.[1];
      await expect(bars.nth(i)).toHaveAttribute("data-processes", String(n));
      await expect(bars.nth(i)).toHaveAttribute("data-speedup", String(Number(printed)));
    }
  });
});
