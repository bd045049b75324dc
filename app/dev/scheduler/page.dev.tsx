import type { Metadata } from "next";
import { Scheduler } from "@/components/scheduler";
import { isScenarioId, type Scenario, type ScenarioId } from "@/lib/scheduler";

/** What a lesson can write inline: `<Scheduler scenario={{ … }} />`. */
const CUSTOM: Scenario = {
  seed: 7,
  main: {
    name: "MainProcess",
    steps: [
      { op: "spawn", child: { name: "sleeper", steps: [{ op: "sleep", ticks: 10 }] } },
      { op: "run", ticks: 1 },
      { op: "kill", target: "sleeper" },
      { op: "join", target: "sleeper" },
    ],
  },
};
const BROKEN: Scenario = { seed: 1, main: { name: "MainProcess", steps: [{ op: "join", target: "nobody" }] } };

export const metadata: Metadata = { title: "Scheduler fixture", robots: { index: false } };

/**
 * Fixture for tests/e2e/scheduler.spec.ts and screenshots:
 * `?scenario=zombie&lang=zh&size=large`, `&two=orphan` adds a second scheduler,
 * `?custom=1` shows an inline scenario object and `?custom=broken` a scenario that cannot run.
 */
export default async function DevSchedulerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const one = (k: string) => (typeof q[k] === "string" ? q[k] : undefined);
  const scenario: ScenarioId = isScenarioId(one("scenario") ?? "") ? (one("scenario") as ScenarioId) : "zombie";
  const second = one("two");
  const lang = one("lang") === "zh" ? "zh" : "en";
  const custom = one("custom");
  if (custom) {
    return (
      <main className="mx-auto max-w-3xl px-3 py-6">
        <h1 className="text-xl font-semibold">Scheduler fixture</h1>
        <Scheduler scenario={custom === "broken" ? BROKEN : CUSTOM} lang={lang} />
      </main>
    );
  }
  return (
    <main className="mx-auto max-w-3xl px-3 py-6">
      <h1 className="text-xl font-semibold">Scheduler fixture</h1>
      <Scheduler scenario={scenario} lang={lang} size={one("size") === "large" ? "large" : "normal"} />
      {second && isScenarioId(second) ? <Scheduler scenario={second} lang={lang} /> : null}
    </main>
  );
}
