import { defineConfig } from "vitest/config";
import os from "node:os";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    // Generates lib/runtime/python-bundle.generated.ts (gitignored) before any test imports it.
    globalSetup: ["./lib/runtime/bundle-python.mjs"],
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "components/**/*.test.tsx", "scripts/**/*.test.ts", "tests/unit/**/*.test.ts"],
    // Vitest's default on 2 cores is one file at a time, but most files spend much of their
    // time waiting on Pyodide workers and sleeps: two files at a time keep both cores busy.
    maxWorkers: Math.max(2, os.availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
