import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { mdxComponents } from "@/mdx-components";
import { checkContent, getLessonPage, getLessons, LOCALES } from "./index";

describe("content/ (the real course)", () => {
  it("should validate and compile every lesson in every language", async () => {
    const lessons = await checkContent(undefined, Object.keys(mdxComponents));
    expect(lessons.length).toBeGreaterThanOrEqual(2);
    expect(lessons.map((l) => l.order)).toEqual([...lessons.map((l) => l.order)].sort((a, b) => a - b));
  });

  it("should give every lesson a page in every language with matching heading ids", async () => {
    for (const lesson of getLessons()) {
      const ids = new Set<string>();
      for (const locale of LOCALES) {
        const page = await getLessonPage(lesson.slug, locale, Object.keys(mdxComponents));
        expect(page, `${lesson.dir}/${locale}`).toBeDefined();
        ids.add(page!.compiled.toc.map((e) => e.id).join(","));
      }
      expect(ids.size, `${lesson.dir}: heading ids differ between languages`).toBe(1);
    }
  });
});

/** Renders an English lesson with RunnableCode swapped for a recorder: the HTML, and each runnable block's props. */
async function renderRecordingBlocks(slug: string): Promise<{ html: string; seen: Array<Record<string, unknown>> }> {
  const page = await getLessonPage(slug, "en");
  const seen: Array<Record<string, unknown>> = [];
  const Capture = (props: Record<string, unknown>) => {
    seen.push(props);
    return null;
  };
  const html = renderToStaticMarkup(createElement(page!.compiled.Content, { components: { ...mdxComponents, RunnableCode: Capture } }));
  return { html, seen };
}

describe("compiled lesson 01", () => {
  it("should hand runnable blocks their source, shiki HTML and expected output", async () => {
    const { html, seen } = await renderRecordingBlocks("what-is-a-process");
    // Speaker notes never reach the reading view.
    expect(html).not.toContain("Ask the room to predict");
    expect(html).toContain('id="first-child"');
    const first = seen.find((p) => p.id === "main-process");
    expect(first).toBeDefined();
    expect(first!.code).toContain('print("name:", mp.current_process().name)');
    expect(first!.html).toMatch(/^<pre class="shiki shiki-themes github-light github-dark"/);
    expect(first!.expectedOutput).toBe("name: MainProcess\nparent process: None\npid is a number: True");
    expect(first!.unordered).toBe(false);
    expect(first!.locale).toBe("en");
  });
});

describe("compiled lesson 18", () => {
  it("should ask the speedup block for its chart", async () => {
    const { seen } = await renderRecordingBlocks("why-processes");
    expect(seen.find((p) => p.id === "speedup")?.chart).toBe("speedup");
    expect(seen.find((p) => p.id === "sleepers")?.chart).toBeUndefined();
  });
});
