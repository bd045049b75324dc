import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    // Generates lib/runtime/python-bundle.generated.ts (gitignored) before any test imports it.
    globalSetup: ["./lib/runtime/bundle-python.mjs"],
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "components/**/*.test.tsx", "scripts/**/*.test.ts", "tests/unit/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
