/**
 * scripts/py.mjs, what `npm run -s py` starts: it runs the CLI (scripts/py.ts) from a bundle in
 * the cache folder, and builds that bundle again when a file it was built from is newer, so a
 * run never uses code older than the checkout's.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-cli-"));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-cli-prog-"));
afterAll(() => {
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function py(file: string, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["scripts/py.mjs", file], { cwd: root, timeout: 180_000, env: { ...process.env, SPAWNPOINT_CACHE_DIR: cacheDir } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

const bundle = (): string => {
  const [name] = fs.readdirSync(cacheDir).filter((f) => /^cli-[0-9a-f]{12}\.mjs$/.test(f));
  return path.join(cacheDir, name);
};

describe("scripts/py.mjs", () => {
  it("should run a program with its stdin and exit code, and bundle the CLI again once a source is newer than the bundle", async () => {
    const file = path.join(work, "prog.py");
    fs.writeFileSync(file, "import sys\nimport multiprocessing as mp\nif __name__ == '__main__':\n    p = mp.Process(target=print, args=('child of', input()))\n    p.start(); p.join()\n    sys.exit(3)\n");
    expect(await py(file, "bob\n")).toEqual({ code: 3, stdout: "child of bob\n", stderr: "" });
    const built = bundle();
    // The bundle predates its sources now, as after an edit of the runtime.
    const past = new Date(Date.now() - 3600_000);
    fs.utimesSync(built, past, past);
    const stale = fs.statSync(built).mtimeMs;
    expect(await py(file, "ann\n")).toEqual({ code: 3, stdout: "child of ann\n", stderr: "" });
    expect(fs.statSync(bundle()).mtimeMs).toBeGreaterThan(stale);
    // Fresh: the next run keeps it.
    const kept = fs.statSync(bundle()).mtimeMs;
    expect(await py(file, "eve\n")).toEqual({ code: 3, stdout: "child of eve\n", stderr: "" });
    expect(fs.statSync(bundle()).mtimeMs).toBe(kept);
  }, 300_000);
});
