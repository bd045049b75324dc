import type { Metadata } from "next";
import { lessonBlockCases } from "@/lib/lessons/lesson-files";
import { LessonBlocksFixture } from "./LessonBlocksFixture";

export const metadata: Metadata = { title: "Lesson blocks fixture", robots: { index: false } };

/**
 * Fixture for tests/browsers/lesson-blocks.ts: every lesson block with an expected output and
 * every exercise's solution, run on the page's own runtime (what a reader's Run and Check use)
 * and judged as the Node suite judges them (lib/lessons/judge.ts).
 */
export default function DevLessonsPage() {
  return (
    <main className="mx-auto max-w-4xl px-3 py-6">
      <h1 className="text-xl font-semibold">Lesson blocks fixture</h1>
      <LessonBlocksFixture cases={lessonBlockCases()} />
    </main>
  );
}
