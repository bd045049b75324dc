import GithubSlugger from "github-slugger";
import type { Code, Heading, Parent, Root, RootContent, Text } from "mdast";
import { toString } from "mdast-util-to-string";
import type { MdxJsxAttribute, MdxJsxFlowElement } from "mdast-util-mdx-jsx";
import { valueToEstree } from "estree-util-value-to-estree";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { highlightCode, UnknownLanguageError } from "./highlight";
import { parseFenceMeta } from "./fence-meta";
import { resolveLink, type LessonLinks } from "./lesson-links";
import type { Locale } from "./locales";

/** Charts a runnable block can draw from its output (`chart=NAME`; components/lesson). */
const CHARTS: ReadonlySet<string> = new Set(["speedup"]);

/** One entry of the in-page table of contents. */
export interface TocEntry {
  id: string;
  text: string;
  depth: 2 | 3;
}

declare module "vfile" {
  interface DataMap {
    toc: TocEntry[];
  }
}

export interface RemarkLessonOptions {
  locale: Locale;
  /**
   * Names of the components lessons may use (the keys of the map in mdx-components.tsx).
   * When given, an unknown `<Component>` fails the compile naming the file and line,
   * instead of failing later at render without a file name. Default: not checked.
   */
  components?: readonly string[];
  /**
   * The course, to resolve and check links. When given, `[text](../07-orphans#anchor)`
   * (a lesson folder, the natural link between .mdx files) becomes `/<locale>/orphans#anchor`,
   * `/<locale>/<slug>` links must name a lesson, and `#anchor` links must name a heading of
   * this file. A broken link fails the compile naming the file and line.
   */
  links?: LessonLinks;
}

/** Components that receive the page's `locale` so their UI strings match the lesson. */
const LOCALIZED_COMPONENTS = new Set(["Callout", "Predict", "Exercise", "Notes", "Scheduler"]);

/**
 * `## Heading [#stable-id]` sets the heading's id explicitly. MDX reserves `{…}` for
 * expressions, so the usual `{#id}` cannot be used. Translations give their headings the
 * same ids, which keeps `#anchors` working across the language switch.
 */
const EXPLICIT_ID = /\s*\[#([a-z0-9]+(?:-[a-z0-9]+)*)\]\s*$/;

type AttributeValue = string | number | boolean | readonly unknown[] | Record<string, unknown> | undefined;

function attribute(name: string, value: Exclude<AttributeValue, undefined>): MdxJsxAttribute {
  if (typeof value === "string") return { type: "mdxJsxAttribute", name, value };
  // Non-string props become JS expressions; the MDX compiler reads `data.estree`.
  return {
    type: "mdxJsxAttribute",
    name,
    value: {
      type: "mdxJsxAttributeValueExpression",
      value: JSON.stringify(value),
      data: {
        estree: {
          type: "Program",
          sourceType: "module",
          comments: [],
          body: [{ type: "ExpressionStatement", expression: valueToEstree(value) }],
        },
      },
    },
  };
}

function element(name: string, props: Record<string, AttributeValue>, children: MdxJsxFlowElement["children"] = []): MdxJsxFlowElement {
  const attributes = Object.entries(props)
    .filter((entry): entry is [string, Exclude<AttributeValue, undefined>] => entry[1] !== undefined)
    .map(([key, value]) => attribute(key, value));
  return { type: "mdxJsxFlowElement", name, attributes, children };
}

function takeExplicitId(heading: Heading): string | undefined {
  const last = heading.children.at(-1);
  if (!last || last.type !== "text") return undefined;
  const match = EXPLICIT_ID.exec(last.value);
  if (!match) return undefined;
  (last as Text).value = last.value.slice(0, match.index);
  if (last.value === "") heading.children.pop();
  return match[1];
}

/** Strips the single trailing newline authors leave before a closing fence of expected output. */
function outputText(code: Code): string {
  return code.value.replace(/\n$/, "");
}

/**
 * The lesson remark plugin:
 * - gives every heading a stable id (explicit `[#id]` or a github-slugger slug) and
 *   records h2/h3 in `file.data.toc`;
 * - highlights every fenced block with shiki and turns it into a component element
 *   that receives both the source string and the HTML:
 *   ```` ```python run ```` (+ the following ```` ```output ````) → `<RunnableCode>`,
 *   `<Playground run="main.py">` with ```` ```lang file=NAME ```` blocks → `<Playground files=[…]>`,
 *   a lone ```` ```output ```` → `<OutputBlock>`, anything else → `<CodeBlock>`;
 * - passes `locale` to components whose UI strings depend on the language.
 */
export function remarkLesson(options: RemarkLessonOptions) {
  const { locale, components, links } = options;
  const known = components ? new Set(components) : undefined;

  return async function transform(tree: Root, file: VFile): Promise<void> {
    const slugger = new GithubSlugger();
    const seenIds = new Set<string>();
    const toc: TocEntry[] = [];

    visit(tree, "heading", (heading: Heading) => {
      const explicit = takeExplicitId(heading);
      const text = toString(heading).trim();
      const id = explicit ?? slugger.slug(text);
      if (seenIds.has(id)) file.fail(`duplicate heading id "${id}" (give one of the headings an explicit [#id])`, heading);
      seenIds.add(id);
      heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } };
      if (heading.depth === 2 || heading.depth === 3) toc.push({ id, text, depth: heading.depth });
    });

    if (known) {
      visit(tree, (node) => {
        if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name && /^[A-Z]/.test(node.name) && !known.has(node.name)) {
          file.fail(`unknown component <${node.name}> (known: ${[...known].filter((n) => /^[A-Z]/.test(n)).join(", ")}; add it to mdx-components.tsx)`, node);
        }
      });
    }

    if (links) {
      visit(tree, (node) => {
        if (node.type === "link" || node.type === "definition") resolveLink(node, links, locale, seenIds, file);
      });
    }

    let runCount = 0;
    let playgroundCount = 0;
    const componentIds = new Set<string>();
    const claimId = (id: string, node: RootContent): string => {
      if (componentIds.has(id)) file.fail(`duplicate example id "${id}"`, node);
      componentIds.add(id);
      return id;
    };

    const highlight = async (node: Code): Promise<string> => {
      try {
        return await highlightCode(node.value, node.lang);
      } catch (error) {
        if (error instanceof UnknownLanguageError) file.fail(error.message, node);
        throw error;
      }
    };

    const rewriteCode = async (node: Code, next: RootContent | undefined): Promise<{ replacement: MdxJsxFlowElement; consumedNext: boolean }> => {
      const meta = parseFenceMeta(node.meta);
      if (node.lang === "output") {
        return {
          replacement: element("OutputBlock", { text: outputText(node), unordered: meta.flags.has("unordered"), locale }),
          consumedNext: false,
        };
      }
      const html = await highlight(node);
      const lang = node.lang ?? "text";
      if (meta.flags.has("run")) {
        if (lang !== "python") file.fail(`only python blocks can be runnable (got "${lang}")`, node);
        const expected = next?.type === "code" && next.lang === "output" ? next : undefined;
        const expectedMeta = expected ? parseFenceMeta(expected.meta) : undefined;
        const chart = meta.values.get("chart");
        if (chart !== undefined && !CHARTS.has(chart)) file.fail(`unknown chart "${chart}" on a runnable block (known: ${[...CHARTS].join(", ")})`, node);
        runCount += 1;
        return {
          replacement: element("RunnableCode", {
            id: claimId(meta.values.get("id") ?? `run-${runCount}`, node),
            title: meta.values.get("title"),
            lang,
            code: node.value,
            html,
            expectedOutput: expected ? outputText(expected) : undefined,
            unordered: expectedMeta?.flags.has("unordered") ?? false,
            ...(chart !== undefined ? { chart } : {}),
            locale,
          }),
          consumedNext: expected !== undefined,
        };
      }
      return {
        replacement: element("CodeBlock", { lang, code: node.value, html, title: meta.values.get("title") ?? meta.values.get("file"), locale }),
        consumedNext: false,
      };
    };

    const rewritePlayground = async (node: MdxJsxFlowElement): Promise<MdxJsxFlowElement> => {
      const files: Array<{ name: string; lang: string; code: string; html: string }> = [];
      let expectedOutput: string | undefined;
      let unordered = false;
      const rest: MdxJsxFlowElement["children"] = [];
      for (const child of node.children) {
        if (child.type === "code" && child.lang === "output") {
          expectedOutput = outputText(child);
          unordered = parseFenceMeta(child.meta).flags.has("unordered");
        } else if (child.type === "code") {
          const name = parseFenceMeta(child.meta).values.get("file");
          if (!name) file.fail("every code block inside <Playground> needs file=NAME in its meta", child);
          if (files.some((f) => f.name === name)) file.fail(`duplicate file "${name}" in <Playground>`, child);
          files.push({ name, lang: child.lang ?? "text", code: child.value, html: await highlight(child) });
        } else {
          rest.push(child);
        }
      }
      const runAttr = node.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === "run");
      const run = typeof runAttr?.value === "string" ? runAttr.value : undefined;
      if (!run) file.fail('<Playground> needs a run="FILE" attribute naming the entry file', node);
      if (!files.some((f) => f.name === run)) file.fail(`<Playground run="${run}"> names no file in it (files: ${files.map((f) => f.name).join(", ") || "none"})`, node);
      const idAttr = node.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === "id");
      const titleAttr = node.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === "title");
      playgroundCount += 1;
      await rewriteChildren({ type: "root", children: rest } as Root);
      return element(
        "Playground",
        {
          id: claimId(typeof idAttr?.value === "string" ? idAttr.value : `playground-${playgroundCount}`, node),
          title: typeof titleAttr?.value === "string" ? titleAttr.value : undefined,
          run,
          files,
          expectedOutput,
          unordered,
          locale,
        },
        rest,
      );
    };

    const rewriteChildren = async (parent: Parent): Promise<void> => {
      const out: RootContent[] = [];
      const children = parent.children as RootContent[];
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type === "code") {
          const { replacement, consumedNext } = await rewriteCode(node, children[i + 1]);
          out.push(replacement);
          if (consumedNext) i += 1;
          continue;
        }
        if (node.type === "mdxJsxFlowElement" && node.name === "Playground") {
          out.push(await rewritePlayground(node));
          continue;
        }
        if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name && LOCALIZED_COMPONENTS.has(node.name)) {
          if (!node.attributes.some((a) => a.type === "mdxJsxAttribute" && a.name === "locale")) node.attributes.push(attribute("locale", locale));
        }
        if ("children" in node) await rewriteChildren(node);
        out.push(node);
      }
      (parent as Parent & { children: RootContent[] }).children = out;
    };

    await rewriteChildren(tree);
    file.data.toc = toc;
  };
}
