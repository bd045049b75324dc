import { expect, test, type Page } from "./warm-context";
import { loadLessons } from "../../lib/content/load";
import { withoutPython } from "./without-python";

/**
 * Presenting a lesson: slides, keyboard, the presenter window in step with the projected one.
 * Uses the course the server was built from; the lessons are picked by what they contain
 * (speaker notes, a scheduler view) so the test follows the content, not a fixed slug.
 */
const lessons = loadLessons();
function lessonText(lesson: (typeof lessons)[number]): string {
  return lesson.translations.en.source;
}

const withNotes = lessons.find((l) => /<Notes>/.test(lessonText(l)));
const withScheduler = lessons.find((l) => /<Scheduler\b/.test(lessonText(l)));
const withRunnable = lessons.find((l) => /```python run/.test(lessonText(l)));

/** Slides = the title slide + every non-empty stretch between "## " headings and <SlideBreak /> marks (notes aside). */
function expectedSlideCount(text: string): number {
  const body = text
    .replace(/^---[\s\S]*?---/, "")
    .replace(/```[\s\S]*?```/g, "code")
    .replace(/<Notes>[\s\S]*?<\/Notes>/g, "");
  const pieces = body.split(/^(?=## )|<SlideBreak\s*\/>/m);
  return 1 + pieces.filter((p) => p.trim() !== "").length;
}

/** Opens a presentation and waits until its keyboard handler is attached (a key pressed before hydration is lost). */
async function gotoPresentation(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator("html[data-present-keys=ready]")).toHaveCount(1);
}

async function counter(page: Page): Promise<string> {
  return (await page.getByTestId("slide-counter").textContent()) ?? "";
}

test.describe("presentation", () => {
  test.beforeEach(() => expect(withNotes, "no lesson has <Notes>").toBeTruthy());

  test("user can present a lesson and move through it by keyboard", async ({ page }) => {
    await withoutPython(page);
    const lesson = withNotes!;
    const total = expectedSlideCount(lessonText(lesson));
    await gotoPresentation(page, `/en/${lesson.slug}/present`);
    await expect(page.getByTestId("slide-counter")).toHaveText(`1 / ${total}`);
    await expect(page.getByRole("heading", { level: 1, name: lesson.translations.en.title })).toBeVisible();

    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("slide-counter")).toHaveText(`2 / ${total}`);
    await expect(page).toHaveURL(/[?&]slide=2\b/);
    await page.keyboard.press(" ");
    await expect(page.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);
    await page.keyboard.press("PageDown");
    await expect(page.getByTestId("slide-counter")).toHaveText(`4 / ${total}`);
    await page.keyboard.press("PageUp");
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByTestId("slide-counter")).toHaveText(`2 / ${total}`);
    await page.keyboard.press("End");
    await expect(page.getByTestId("slide-counter")).toHaveText(`${total} / ${total}`);
    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("slide-counter")).toHaveText(`${total} / ${total}`);
    await page.keyboard.press("Home");
    await expect(page.getByTestId("slide-counter")).toHaveText(`1 / ${total}`);

    // A number, then Enter, jumps.
    await page.keyboard.press("3");
    await expect(page.getByRole("status").filter({ hasText: "3" })).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);
    // Exactly one slide is visible, and the progress bar says where we are.
    await expect(page.locator("section[aria-roledescription=slide]:visible")).toHaveCount(1);
    await expect(page.getByRole("progressbar", { name: /^Slide 3 of/ })).toHaveAttribute("aria-valuenow", "3");

    // The slide survives a reload (it is in the URL).
    await page.reload();
    await expect(page.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);

    // + and − zoom the type.
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const before = await size();
    await page.keyboard.press("+");
    await page.keyboard.press("+");
    await expect.poll(size).toBeGreaterThan(before * 1.15);
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    await expect.poll(size).toBeCloseTo(before, 0);

    // F toggles full screen (a key press is the user gesture the browser asks for).
    await page.keyboard.press("f");
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await page.keyboard.press("f");
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(false);

    // Esc goes back to the reading view, at the section being shown.
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`/en/${lesson.slug}(#[\\w-]+)?$`));
    await expect(page.getByRole("navigation").first()).toBeVisible();
  });

  test("speaker notes never show in the reading view or on the projected slides", async ({ page }) => {
    await withoutPython(page);
    const lesson = withNotes!;
    const note = /<Notes>\s*([\s\S]*?)<\/Notes>/.exec(lessonText(lesson))![1].split("\n")[0].replace(/`/g, "").slice(0, 30);
    await page.goto(`/en/${lesson.slug}`);
    await expect(page.getByRole("main")).not.toContainText(note);
    await gotoPresentation(page, `/en/${lesson.slug}/present`);
    for (let i = 0; i < expectedSlideCount(lessonText(lesson)); i++) {
      await expect(page.locator("section[aria-roledescription=slide]:visible")).not.toContainText(note);
      await page.keyboard.press("ArrowRight");
    }
  });

  test("presenter window shows notes and stays in sync with the audience window", async ({ page, context }) => {
    await withoutPython(page);
    const lesson = withNotes!;
    const text = lessonText(lesson);
    const total = expectedSlideCount(text);
    const note = /<Notes>\s*([\s\S]*?)<\/Notes>/.exec(text)![1].split("\n")[0].replace(/`/g, "").slice(0, 30);
    await gotoPresentation(page, `/en/${lesson.slug}/present`);
    await expect(page.getByTestId("slide-counter")).toHaveText(`1 / ${total}`);

    const popupPromise = context.waitForEvent("page");
    await page.keyboard.press("s");
    const presenter = await popupPromise;
    await expect(presenter).toHaveURL(new RegExp(`/en/${lesson.slug}/presenter`));
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(`1 / ${total}`);
    await expect(presenter.getByTestId("presenter-timer")).toHaveText(/^\d+:\d\d$/);

    // Audience → presenter.
    await page.bringToFront();
    await page.keyboard.press("ArrowRight");
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(`2 / ${total}`);

    // Presenter → audience, until the slide with the notes.
    let found = false;
    for (let i = 2; i <= total && !found; i++) {
      found = ((await presenter.getByTestId("presenter-notes").textContent()) ?? "").includes(note);
      if (!found) {
        await presenter.keyboard.press("ArrowRight");
        await expect(page.getByTestId("slide-counter")).toHaveText(`${i + 1} / ${total}`);
      }
    }
    expect(found).toBe(true);
    const n = await counter(page);
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(n);
  });

  test("stepping a scheduler view in the audience window moves it in the presenter window", async ({ page, context }) => {
    await withoutPython(page);
    expect(withScheduler, "no lesson has <Scheduler>").toBeTruthy();
    const lesson = withScheduler!;
    await gotoPresentation(page, `/en/${lesson.slug}/present`);
    const popupPromise = context.waitForEvent("page");
    await page.keyboard.press("s");
    const presenter = await popupPromise;
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(/^1 \//);

    // Find the slide with the scheduler.
    const region = page.locator("section[aria-roledescription=slide]:visible").getByRole("button", { name: "Step forward" });
    for (let i = 0; i < 20 && !(await region.isVisible()); i++) await page.keyboard.press("ArrowRight");
    await region.click();
    await region.click();
    await expect(page).toHaveURL(/#.*(step|sched-[\w-]+)=2/);
    await expect(presenter).toHaveURL(/#.*(step|sched-[\w-]+)=2/);
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(await counter(page));
  });
  test("typing and running code in the audience window shows in the presenter window, which boots no Python", async ({ page, context }) => {
    expect(withRunnable, "no lesson has a runnable block").toBeTruthy();
    test.setTimeout(120_000);
    await gotoPresentation(page, `/en/${withRunnable!.slug}/present`);
    const popupPromise = context.waitForEvent("page");
    await page.keyboard.press("s");
    const presenter = await popupPromise;
    const presenterPython: string[] = [];
    presenter.on("request", (r) => {
      if (r.url().includes("/pyodide/")) presenterPython.push(r.url());
    });
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(/^1 \//);

    // Find the first slide with a live example.
    await page.bringToFront();
    const example = page.locator("section[aria-roledescription=slide]:visible [data-example-id]").first();
    for (let i = 0; i < 40 && !(await example.isVisible()); i++) await page.keyboard.press("ArrowRight");
    const id = await example.getAttribute("data-example-id");
    await expect(presenter.getByTestId("presenter-counter")).toHaveText(await counter(page));

    // Type into Monaco (it loads once the block is on screen).
    const lines = example.locator(".monaco-editor .view-lines");
    await expect(lines).toBeVisible({ timeout: 60_000 });
    await lines.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("print('mirrored', 6 * 7");
    // The previews are inert (not in the accessibility tree), so they are found by structure.
    const mirror = presenter.locator(`[data-example-id="${id}"]`).first();
    await expect(mirror.locator(".sp-code-static")).toContainText("print('mirrored', 6 * 7");

    // Run: the output reaches the presenter's preview too.
    await page.keyboard.press("Control+Enter");
    await expect(example.getByRole("log", { name: "Terminal output" })).toContainText("mirrored 42", { timeout: 60_000 });
    await expect(mirror.locator("pre[role=log]")).toContainText("mirrored 42");

    // The presenter's previews are pictures: no Monaco, no Python download, no worker.
    await expect(mirror.locator(".monaco-editor")).toHaveCount(0);
    expect(presenterPython).toEqual([]);
    expect(presenter.workers()).toHaveLength(0);
  });
});
