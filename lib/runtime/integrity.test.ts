/**
 * Integrity of what every process boots from. The cached memory snapshot is used only when
 * its bytes match their SHA-256 (kept in its file name): a tampered one is deleted and made
 * again, and programs run. The shared stdlib zip cannot be changed through the file system:
 * a process that zeroes it gets its own copy, and workers booted afterwards still import.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Machine } from "./machine";
import { createNodeMachine } from "./node";

const PROGRAMS = path.join(__dirname, "..", "..", "tests", "programs");
const decoder = new TextDecoder();
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-integrity-"));

afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

async function run(machine: Machine, entry: string, code: string): Promise<{ out: string; exit: number }> {
  let out = "";
  const off = machine.onOutput((c) => (out += decoder.decode(c.data)));
  try {
    const exit = await machine.run({ files: { [entry]: code }, entry }).exit;
    return { out, exit };
  } finally {
    off();
  }
}

const snapshots = (): string[] => fs.readdirSync(cacheDir).filter((f) => /\.snapshot\.[0-9a-f]{64}$/.test(f));

describe("integrity of the snapshot and the stdlib (Node host)", () => {
  it("should discard a tampered cached snapshot, make a new one, and run programs", async () => {
    const first = createNodeMachine({ poolSize: 1, cacheDir });
    await first.warm();
    expect(await run(first, "ok.py", "print(6 * 7)\n")).toEqual({ out: "42\n", exit: 0 });
    first.dispose();
    const [made] = snapshots();
    expect(made).toBeDefined();
    const file = path.join(cacheDir, made);
    const bytes = fs.readFileSync(file);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(made.slice(-64));
    // A hostile write: zero a stretch in the middle (Python's heap in the restored memory).
    bytes.fill(0, bytes.length >> 1, (bytes.length >> 1) + 4096);
    fs.writeFileSync(file, bytes);

    const second = createNodeMachine({ poolSize: 1, cacheDir });
    try {
      await second.warm();
      expect(await run(second, "ok.py", "import json\nprint(json.dumps([6 * 7]))\n")).toEqual({ out: "[42]\n", exit: 0 });
    } finally {
      second.dispose();
    }
    // The tampered file is gone; the one there now matches its digest.
    const now = snapshots();
    expect(now.length).toBe(1);
    const fresh = fs.readFileSync(path.join(cacheDir, now[0]));
    expect(createHash("sha256").update(fresh).digest("hex")).toBe(now[0].slice(-64));
  }, 300_000);

  it("should keep the shared stdlib zip intact when a process zeroes it: later workers still import from it", async () => {
    const machine = createNodeMachine({ poolSize: 2, cacheDir });
    try {
      await machine.warm();
      const entry = "stdlib_copy_on_write.py";
      const r = await run(machine, entry, fs.readFileSync(path.join(PROGRAMS, entry), "utf8"));
      expect(r.out).toBe("parent's copy changed: True True\nchild imported colorsys: (0.0, 1.0, 1.0)\nexitcode 0\n");
      // Workers booted after the write (the pool replaced the ones it handed out) import modules no snapshot preloaded.
      for (const mod of ["colorsys", "fractions", "textwrap"]) {
        expect(await run(machine, "imp.py", `import ${mod}\nprint(${mod}.__name__)\n`)).toEqual({ out: `${mod}\n`, exit: 0 });
      }
    } finally {
      machine.dispose();
    }
  }, 300_000);
});
