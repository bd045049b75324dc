import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import os from "node:os";
import path from "node:path";

/**
 * The files that take longest (a minute or more each in a whole run on 2 cores), longest first.
 * Vitest starts files it has no timings for by size, so on a fresh clone these small files,
 * which run every lesson block, would start last and run on alone at the end.
 */
const LONGEST = [
  "lib/lessons/lesson-blocks.test.ts",
  "lib/lessons/lesson-blocks.relay.test.ts",
  "lib/sched-search/explore.test.ts",
  "lib/runtime/relay.test.ts",
  "lib/runtime/runtime.test.ts",
  "lib/runtime/controlled.test.ts",
  "lib/runtime/deadlock.test.ts",
  "tests/unit/net-programs.test.ts",
];

class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(path.relative(__dirname, f.moduleId));
      return i === -1 ? LONGEST.length : i;
    };
    const sorted = await super.sort(files);
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    // Generates lib/runtime/python-bundle.generated.ts (gitignored) before any test imports it.
    globalSetup: ["./lib/runtime/bundle-python.mjs"],
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "components/**/*.test.tsx", "scripts/**/*.test.ts", "tests/unit/**/*.test.ts"],
    // Vitest's default on 2 cores is one file at a time, but most files spend much of their
    // time waiting on Pyodide workers and sleeps: two files at a time keep both cores busy.
    maxWorkers: Math.max(2, os.availableParallelism()),
    sequence: { sequencer: LongestFirst },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
