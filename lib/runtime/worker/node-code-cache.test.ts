import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { asClassicScript } from "./node-code-cache";

const indexURL = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json")) + path.sep;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-code-cache-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Each run of this is a fresh V8 isolate, as each worker is (one isolate would answer from its own in-memory cache). */
function boot(): { fromCache: boolean; factory: string } {
  const code = `const m = await import(${JSON.stringify(path.join(__dirname, "node-code-cache.ts"))});
const { cachedFactory } = m.cachedFactory ? m : m.default;
const f = cachedFactory(${JSON.stringify(indexURL)}, ${JSON.stringify(dir)});
f.save();
console.log(JSON.stringify({ fromCache: f.fromCache, factory: typeof f.createPyodideModule }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", cwd: path.join(__dirname, "..", "..", "..") });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { fromCache: boolean; factory: string };
}

describe("Pyodide's factory through V8's code cache", () => {
  it("compiles without a cache first, writes the script and the cache, and the next worker's compile uses it", () => {
    expect(boot()).toEqual({ fromCache: false, factory: "function" });
    const names = fs.readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^pyodide-asm-[0-9a-f]{32}\.js$/);
    expect(names[1]).toMatch(/^pyodide-asm-[0-9a-f]{32}\.v8cache$/);
    expect(boot()).toEqual({ fromCache: true, factory: "function" });
  });

  it("compiles anew and writes a new cache when the cache file is damaged", () => {
    const cache = path.join(dir, fs.readdirSync(dir).find((n) => n.endsWith(".v8cache"))!);
    fs.writeFileSync(cache, Buffer.from("not a code cache"));
    expect(boot().fromCache).toBe(false);
    expect(fs.statSync(cache).size).toBeGreaterThan(1000);
    expect(boot().fromCache).toBe(true);
  });

  it("turns the module into a script that takes its import(), and refuses a build it does not fit", () => {
    const script = asClassicScript('async function _createPyodideModule(){const m=await import("node:fs");return import.meta.url}\nexport default _createPyodideModule;\n', "file:///p/pyodide.asm.mjs");
    expect(script).toContain('__spawnpointImport("node:fs")');
    expect(script).toContain('return "file:///p/pyodide.asm.mjs"');
    expect(script).not.toContain("export");
    expect(() => asClassicScript("export default other;", "file:///x")).toThrow(/unsupported Pyodide build/);
  });
});
