import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ContentError } from "./errors";
import { loadLessons } from "./load";
import { checkContent } from "./lessons";

const tmpDirs: string[] = [];

function page(frontmatter: string, body = "Some text.\n"): string {
  return `---\n${frontmatter}\n---\n\n${body}`;
}

const good = {
  en: page('title: "Hello"\nsummary: "Say hello."\norder: 1'),
  zh: page('title: "你好"\nsummary: "打个招呼。"\norder: 1'),
};

/** Writes a throwaway content folder: keys are paths like `01-hello/en.mdx`. */
function makeContent(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-content-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function errorOf(fn: () => unknown): ContentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error("expected a ContentError, nothing was thrown");
}

afterEach(() => {
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("loadLessons", () => {
  it("should load a valid lesson with its slug taken from the folder name", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en, "01-hello/zh.mdx": good.zh });
    const [lesson] = loadLessons(dir);
    expect(lesson.slug).toBe("hello");
    expect(lesson.order).toBe(1);
    expect(lesson.translations.zh.title).toBe("你好");
  });

  it("should sort lessons by order, not by folder name", () => {
    const dir = makeContent({
      "01-b/en.mdx": good.en.replace("order: 1", "order: 2"),
      "01-b/zh.mdx": good.zh.replace("order: 1", "order: 2"),
      "02-a/en.mdx": good.en,
      "02-a/zh.mdx": good.zh,
    });
    expect(loadLessons(dir).map((l) => l.slug)).toEqual(["a", "b"]);
  });

  it("should name the file when a required field is missing", () => {
    const dir = makeContent({ "01-hello/en.mdx": page('title: "Hello"\norder: 1'), "01-hello/zh.mdx": good.zh });
    const error = errorOf(() => loadLessons(dir));
    expect(error.file).toMatch(/01-hello\/en\.mdx$/);
    expect(error.message).toMatch(/01-hello\/en\.mdx: invalid frontmatter: field "summary"/);
  });

  it("should name the file when a field has the wrong type", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en, "01-hello/zh.mdx": good.zh.replace("order: 1", 'order: "one"') });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/01-hello\/zh\.mdx: invalid frontmatter: field "order"/);
  });

  it("should reject an unknown frontmatter key so typos do not pass silently", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en.replace("order: 1", "order: 1\ntitel: x"), "01-hello/zh.mdx": good.zh });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/en\.mdx: invalid frontmatter.*titel/);
  });

  it("should name the missing translation", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en });
    const error = errorOf(() => loadLessons(dir));
    expect(error.message).toMatch(/01-hello\/zh\.mdx: missing translation/);
  });

  it("should name both files when two lessons share an order", () => {
    const dir = makeContent({ "01-a/en.mdx": good.en, "01-a/zh.mdx": good.zh, "02-b/en.mdx": good.en, "02-b/zh.mdx": good.zh });
    const error = errorOf(() => loadLessons(dir));
    expect(error.message).toMatch(/02-b\/en\.mdx: duplicate order 1: .*01-a\/en\.mdx/);
  });

  it("should reject translations that disagree on order", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en, "01-hello/zh.mdx": good.zh.replace("order: 1", "order: 2") });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/01-hello\/zh\.mdx: order 2 differs/);
  });

  it("should reject a file without frontmatter", () => {
    const dir = makeContent({ "01-hello/en.mdx": "# Just text\n", "01-hello/zh.mdx": good.zh });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/01-hello\/en\.mdx: missing frontmatter/);
  });

  it("should reject broken YAML naming the file", () => {
    const dir = makeContent({ "01-hello/en.mdx": "---\ntitle: [unclosed\n---\n", "01-hello/zh.mdx": good.zh });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/01-hello\/en\.mdx: invalid frontmatter YAML/);
  });

  it("should reject a folder not named NN-slug", () => {
    const dir = makeContent({ "hello/en.mdx": good.en, "hello/zh.mdx": good.zh });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/hello: lesson folders must be named NN-slug/);
  });

  it("should reject a translation in an unknown language", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en, "01-hello/zh.mdx": good.zh, "01-hello/fr.mdx": good.en });
    expect(errorOf(() => loadLessons(dir)).message).toMatch(/01-hello\/fr\.mdx: unknown language "fr"/);
  });

  it("should ignore folders starting with an underscore", () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en, "01-hello/zh.mdx": good.zh, "_shared/en.mdx": "not a lesson" });
    expect(loadLessons(dir)).toHaveLength(1);
  });
});

describe("checkContent", () => {
  async function rejectionOf(dir: string): Promise<ContentError> {
    const error = await checkContent(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error instanceof ContentError) return error;
    throw new Error(`expected a ContentError, got ${String(error)}`);
  }

  it("should report an MDX syntax error with the file and line", async () => {
    const dir = makeContent({ "01-hello/en.mdx": good.en, "01-hello/zh.mdx": page('title: "你好"\nsummary: "s"\norder: 1', "Text\n\n<Callout>\n") });
    const error = await rejectionOf(dir);
    expect(error.message).toMatch(/01-hello\/zh\.mdx: .*Expected a closing tag.*\d+:\d+/);
  });

  it("should reject an unknown code language naming the file", async () => {
    const dir = makeContent({ "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', "```nosuchlang\nx\n```\n"), "01-hello/zh.mdx": good.zh });
    expect((await rejectionOf(dir)).message).toMatch(/01-hello\/en\.mdx: 7:1: unknown code language "nosuchlang"/);
  });

  it("should reject a chart a runnable block cannot draw, naming the file", async () => {
    const dir = makeContent({ "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', "```python run chart=pie\nprint(1)\n```\n"), "01-hello/zh.mdx": good.zh });
    expect((await rejectionOf(dir)).message).toMatch(/01-hello\/en\.mdx: 7:1: unknown chart "pie" on a runnable block \(known: speedup\)/);
  });

  it("should reject translations whose heading ids differ", async () => {
    const dir = makeContent({
      "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', "## Start here\n\ntext\n"),
      "01-hello/zh.mdx": page('title: "你好"\nsummary: "s"\norder: 1', "## 从这里开始\n\n文字\n"),
    });
    expect((await rejectionOf(dir)).message).toMatch(/01-hello\/zh\.mdx: section headings must have the same ids.*missing #start-here/);
  });

  it("should accept translations that use explicit ids", async () => {
    const dir = makeContent({
      "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', "## Start here\n\ntext\n"),
      "01-hello/zh.mdx": page('title: "你好"\nsummary: "s"\norder: 1', "## 从这里开始 [#start-here]\n\n文字\n"),
    });
    await expect(checkContent(dir)).resolves.toHaveLength(1);
  });

  it("should reject a Playground whose run file is missing", async () => {
    const body = '<Playground run="main.py">\n\n```python file=other.py\nprint(1)\n```\n\n</Playground>\n';
    const dir = makeContent({ "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', body), "01-hello/zh.mdx": good.zh });
    expect((await rejectionOf(dir)).message).toMatch(/en\.mdx: \d+:\d+: <Playground run="main.py"> names no file/);
  });
});

describe("checkContent with a component list", () => {
  it("should reject an unknown component naming the file and line", async () => {
    const dir = makeContent({ "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', "<Nope />\n"), "01-hello/zh.mdx": good.zh });
    const error = await checkContent(dir, ["Callout"]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).message).toMatch(/01-hello\/en\.mdx: 7:1: unknown component <Nope>/);
  });
});

describe("links between lessons", () => {
  const two = (enBody: string) =>
    makeContent({
      "01-hello/en.mdx": page('title: "Hello"\nsummary: "s"\norder: 1', enBody),
      "01-hello/zh.mdx": good.zh,
      "02-next/en.mdx": page('title: "Next"\nsummary: "s"\norder: 2', "## Part two\n\ntext\n"),
      "02-next/zh.mdx": page('title: "下一课"\nsummary: "s"\norder: 2', "## 第二部分 [#part-two]\n\n文字\n"),
    });

  async function htmlOf(dir: string): Promise<string> {
    const { compileMdx } = await import("./compile");
    const { loadLessons: load } = await import("./load");
    const lessons = load(dir);
    const meta = lessons[0].translations.en;
    const { Content } = await compileMdx(meta.source, meta.file, { locale: "en", links: { slug: "hello", lessons } });
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { createElement } = await import("react");
    return renderToStaticMarkup(createElement(Content, { components: { CodeBlock: () => null, OutputBlock: () => null } }));
  }

  it("should turn a lesson-folder link into the lesson's URL in the same language", async () => {
    const html = await htmlOf(two("See [next](../02-next#part-two).\n"));
    expect(html).toContain('href="/en/next#part-two"');
  });

  it("should fail on a link to a lesson that does not exist, naming the file", async () => {
    const error = await checkContent(two("See [gone](../03-gone).\n")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((error as Error).message)).toMatch(/01-hello\/en\.mdx: 7:5: link "\.\.\/03-gone" points to no lesson/);
  });

  it("should fail on an in-page anchor that names no heading", async () => {
    const error = await checkContent(two("## Here\n\nSee [above](#nowhere).\n")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((error as Error).message)).toMatch(/01-hello\/en\.mdx: .*link "#nowhere" points to no heading/);
  });
});
