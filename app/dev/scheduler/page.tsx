import type { Metadata } from "next";
import { Scheduler } from "@/components/scheduler";
import { isScenarioId, type ScenarioId } from "@/lib/scheduler";

export const metadata: Metadata = { title: "Scheduler fixture", robots: { index: false } };

/**
 * Fixture for tests/e2e/scheduler.spec.ts and screenshots:
 * `?scenario=zombie&lang=zh&size=large`, `&two=orphan` adds a second scheduler.
 */
export default async function DevSchedulerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const one = (k: string) => (typeof q[k] === "string" ? q[k] : undefined);
  const scenario: ScenarioId = isScenarioId(one("scenario") ?? "") ? (one("scenario") as ScenarioId) : "zombie";
  const second = one("two");
  const lang = one("lang") === "zh" ? "zh" : "en";
  return (
    <main className="mx-auto max-w-3xl px-3 py-6">
      <h1 className="text-xl font-semibold">Scheduler fixture</h1>
      <Scheduler scenario={scenario} lang={lang} size={one("size") === "large" ? "large" : "normal"} />
      {second && isScenarioId(second) ? <Scheduler scenario={second} lang={lang} /> : null}
    </main>
  );
}
