import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE_FILE, collectPython, writeBundle } from "./bundle-python.mjs";

describe("bundle-python.mjs", () => {
  it("should bundle every .py file of lib/runtime/python, in sorted order", async () => {
    writeBundle();
    const sources = collectPython();
    expect(Object.keys(sources)).toEqual(Object.keys(sources).sort());
    expect(Object.keys(sources)).toContain("_spawnpoint/main.py");
    const { PYTHON_SOURCES } = await import("./python-bundle.generated");
    expect(PYTHON_SOURCES).toEqual(sources);
  });

  it("should write the bundle to a gitignored file (generated code is built, not committed)", () => {
    expect(path.basename(BUNDLE_FILE)).toMatch(/\.generated\.ts$/);
    const r = spawnSync("git", ["check-ignore", "-q", BUNDLE_FILE], { cwd: __dirname });
    if (!r.error) expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(__dirname, "python-bundle.ts"))).toBe(false);
  });
});
