/**
 * The course's runnable blocks, read from content/ (Node only: it reads files). The lesson
 * suites (block-suite.ts) and the browser's lesson-block fixture page (/dev/lessons) take
 * their cases from here, so both run the same blocks under the same names.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { extractRunnableBlocks, type RunnableBlock } from "./blocks";

const contentDir = path.join(process.cwd(), "content");

/** The lesson folders (`NN-slug`) that have an English text, in order. */
export function lessonFolders(): string[] {
  return readdirSync(contentDir)
    .filter((d) => /^\d{2}-/.test(d) && existsSync(path.join(contentDir, d, "en.mdx")))
    .sort();
}

export function blocksOf(dir: string, lang: "en" | "zh"): RunnableBlock[] {
  const file = path.join(contentDir, dir, `${lang}.mdx`);
  return existsSync(file) ? extractRunnableBlocks(readFileSync(file, "utf8"), `content/${dir}/${lang}.mdx`) : [];
}

/** One block whose output the lesson shows, named `NN-slug/en.mdx:LINE (id)`. */
export interface LessonBlockCase {
  name: string;
  /** The lesson's folder. */
  lesson: string;
  block: RunnableBlock;
}

/** Every English block with an expected output, lesson by lesson (the zh blocks are the same programs). */
export function lessonBlockCases(): LessonBlockCase[] {
  return lessonFolders().flatMap((dir) =>
    blocksOf(dir, "en")
      .filter((b) => b.expected !== null)
      .map((block) => ({ name: `${dir}/en.mdx:${block.line} (${block.id})`, lesson: dir, block })),
  );
}
