import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectProgramFiles, leftOutNote } from "./program-files";

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-files-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): void {
  const full = path.join(dir, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
}

const names = (files: Record<string, Uint8Array>) => Object.keys(files).sort();

describe("collectProgramFiles", () => {
  it("copies the script's folder, subfolders included, but not tools' folders", () => {
    write("main.py", "print(1)");
    write("data.txt", "x");
    write("pkg/mod.py", "y = 2");
    write("node_modules/a.js", "");
    write(".git/HEAD", "");
    write("pkg/__pycache__/mod.pyc", "");
    const p = collectProgramFiles(path.join(dir, "main.py"));
    expect(p.entry).toBe("main.py");
    expect(names(p.files)).toEqual(["data.txt", "main.py", "pkg/mod.py"]);
    expect(new TextDecoder().decode(p.files["pkg/mod.py"])).toBe("y = 2");
    expect(p.leftOut).toBe(0);
    expect(p.stoppedEarly).toBe(false);
  });

  it("always copies the script, even when its folder holds more files than the limit, nearest files first", () => {
    for (let i = 0; i < 5; i++) write(`a${i}.txt`, "a");
    write("deep/d.txt", "d");
    write("zz.py", "print(1)");
    const p = collectProgramFiles(path.join(dir, "zz.py"), { maxFiles: 3, maxBytes: 1 << 20, maxEntries: 1000 });
    expect(names(p.files)).toEqual(["a0.txt", "a1.txt", "zz.py"]);
    expect(p.stoppedEarly).toBe(true);
    expect(leftOutNote(dir, p)).toContain(`${dir} holds more files than`);
  });

  it("leaves out files past the byte limit but copies smaller ones after them, and the script whatever its size", () => {
    write("main.py", "#".repeat(50));
    write("big.bin", "b".repeat(100));
    write("small.txt", "s");
    const p = collectProgramFiles(path.join(dir, "main.py"), { maxFiles: 10, maxBytes: 60, maxEntries: 1000 });
    expect(names(p.files)).toEqual(["main.py", "small.txt"]);
    expect(p.leftOut).toBe(1);
    expect(p.stoppedEarly).toBe(false);
    expect(leftOutNote(dir, p)).toContain(`1 file(s) of ${dir} did not fit`);
  });

  it("stops walking a huge tree after maxEntries directory entries", () => {
    write("main.py", "print(1)");
    for (let i = 0; i < 30; i++) write(`tree/t${String(i).padStart(2, "0")}/f.txt`, "f");
    const p = collectProgramFiles(path.join(dir, "main.py"), { maxFiles: 1000, maxBytes: 1 << 20, maxEntries: 10 });
    expect(p.stoppedEarly).toBe(true);
    expect(Object.keys(p.files).length).toBeLessThan(10);
    expect(p.files["main.py"]).toBeDefined();
  });
});
