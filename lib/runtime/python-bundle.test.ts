import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectPython, renderBundle } from "./bundle-python.mjs";

describe("python-bundle.ts", () => {
  it("should match lib/runtime/python/ (run `node lib/runtime/bundle-python.mjs` after editing a .py file)", () => {
    const committed = fs.readFileSync(path.join(__dirname, "python-bundle.ts"), "utf8");
    expect(committed).toBe(renderBundle(collectPython()));
  });
});
