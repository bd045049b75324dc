import { evaluate } from "@mdx-js/mdx";
import type { MDXContent } from "mdx/types";
import * as runtime from "react/jsx-runtime";
import rehypeSlug from "rehype-slug";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import { VFile } from "vfile";
import { ContentError } from "./errors";
import type { Locale } from "./locales";
import { remarkLesson, type RemarkLessonOptions, type TocEntry } from "./remark-lesson";

export interface CompiledLesson {
  /** Render with `<Content components={…} />` (the map from mdx-components.tsx). */
  Content: MDXContent;
  toc: TocEntry[];
}

/**
 * Compiles one lesson file with the maintained MDX compiler (@mdx-js/mdx) at build
 * time inside a React Server Component; the page ships as static HTML. Any failure is
 * rethrown as a {@link ContentError} naming the file (and line:column when known).
 */
export interface CompileOptions {
  locale: Locale;
  /** See RemarkLessonOptions.components. */
  components?: readonly string[];
  /** See RemarkLessonOptions.links. */
  links?: RemarkLessonOptions["links"];
}

export async function compileMdx(source: string, file: string, options: CompileOptions): Promise<CompiledLesson> {
  const { locale, components, links } = options;
  const vfile = new VFile({ path: file, value: source });
  try {
    const { default: Content } = await evaluate(vfile, {
      ...runtime,
      development: false,
      // remark-frontmatter parses the YAML block (validated separately) so it is not
      // rendered, while line numbers in error messages still match the file.
      remarkPlugins: [remarkFrontmatter, remarkGfm, [remarkLesson, { locale, components, links } satisfies RemarkLessonOptions]],
      rehypePlugins: [rehypeSlug],
    });
    return { Content, toc: vfile.data.toc ?? [] };
  } catch (error) {
    if (error instanceof ContentError) throw error;
    if (isFileMessage(error)) {
      const where = error.line ? `${error.line}:${error.column ?? 1}: ` : "";
      throw new ContentError(file, `${where}${error.reason}`);
    }
    throw new ContentError(file, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Parser errors are VFileMessages, but from whichever copy of `vfile-message` the
 * micromark/acorn packages resolved, so `instanceof` is unreliable: check the shape.
 */
function isFileMessage(error: unknown): error is { reason: string; line?: number; column?: number } {
  return typeof error === "object" && error !== null && typeof (error as { reason?: unknown }).reason === "string";
}
