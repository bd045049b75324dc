import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyPyodide, PYODIDE_FILES } from "./copy-pyodide.mjs";

const dirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "copy-pyodide-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("copyPyodide", () => {
  it("should copy every runtime file of the installed package, byte for byte", () => {
    const to = tmp();
    const { copied, version } = copyPyodide({ to, log: () => {} });
    expect(copied).toBe(PYODIDE_FILES.length);
    expect(version).toBe(JSON.parse(fs.readFileSync("node_modules/pyodide/package.json", "utf8")).version);
    for (const name of PYODIDE_FILES) {
      expect(fs.statSync(path.join(to, name)).size, name).toBe(fs.statSync(path.join("node_modules/pyodide", name)).size);
    }
    expect(PYODIDE_FILES).toEqual(expect.arrayContaining(["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]));
  });

  it("should skip files that are already up to date", () => {
    const to = tmp();
    copyPyodide({ to, log: () => {} });
    expect(copyPyodide({ to, log: () => {} }).copied).toBe(0);
  });

  it("should fail with a clear message when the package lacks a file", () => {
    const from = tmp();
    fs.writeFileSync(path.join(from, "package.json"), '{"version":"0"}');
    expect(() => copyPyodide({ from, to: tmp(), log: () => {} })).toThrow(/pyodide package is missing pyodide\.mjs/);
  });
});
