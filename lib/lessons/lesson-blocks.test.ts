/**
 * The lessons' own checks: the English and Chinese files contain the same programs (so each
 * program runs once) and the same exercises; then every block and exercise on the Node host
 * with shared memory (block-suite.ts; lesson-blocks.relay.test.ts runs them in relay mode).
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunnableBlock } from "./index";
import { stripPythonComments } from "./python-comments";
import { getExercise } from "./exercises";
import { describeLessonBlocks } from "./block-suite";
import { blocksOf, lessonFolders } from "./lesson-files";

const contentDir = path.resolve(__dirname, "../../content");

/**
 * The same program in both languages, keyed by what runs: Python files compare without their
 * comments (a translation may translate them, in place: lines stay where they are).
 */
const programKey = (b: RunnableBlock) =>
  JSON.stringify([b.entry, Object.entries(b.files).map(([name, src]) => [name, name.endsWith(".py") ? stripPythonComments(src) : src]), b.expected, b.unordered, b.noSearch, b.race]);

describe("lesson blocks", () => {
  describe.each(lessonFolders())("content/%s", (dir) => {
    it("should have the same runnable programs and outputs in en.mdx and zh.mdx", () => {
      const en = blocksOf(dir, "en").map(programKey);
      const zh = blocksOf(dir, "zh").map(programKey);
      expect(zh).toEqual(en);
    });

    it("should have an interactive exercise and a prediction with choices, the same in both languages", () => {
      const ids = (lang: string) => [...readFileSync(path.join(contentDir, dir, `${lang}.mdx`), "utf8").matchAll(/<Exercise\s+id="([^"]+)"/g)].map((m) => m[1]);
      const en = ids("en");
      expect(en.length).toBeGreaterThan(0);
      expect(ids("zh")).toEqual(en);
      for (const id of en) {
        expect(getExercise(id), `no spec for <Exercise id="${id}">`).toBeDefined();
        // Progress is keyed by the lesson's URL slug (the folder name without its number).
        expect(getExercise(id)?.lesson).toBe(dir.replace(/^\d{2}-/, ""));
      }
      for (const lang of ["en", "zh"]) expect(readFileSync(path.join(contentDir, dir, `${lang}.mdx`), "utf8")).toMatch(/<Predict\s[^>]*choices=/);
    });
  });
});

describeLessonBlocks("lesson blocks on the Node host", false);
