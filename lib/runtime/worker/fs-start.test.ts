/**
 * What a recycled worker's next process starts with (./fs-restore.ts): the restore after a
 * process leaves its files under /home and /tmp, and the next start keeps those it starts with
 * unchanged (the same nodes, not written again) and removes every other one, so the process
 * sees exactly its start's files. On a real Pyodide's file system, loaded in this thread.
 */
import path from "node:path";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPyodide } from "pyodide";
import { FsRecord, writeStartFiles, type StartFS } from "./fs-restore";

const indexURL = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json")) + path.sep;
const text = (s: string) => new TextEncoder().encode(s);
const read = (FS: StartFS, p: string) => new TextDecoder().decode((FS as unknown as { readFile(p: string): Uint8Array }).readFile(p));
const node = (FS: StartFS, p: string) => FS.lookupPath(p, { follow: false }).node;
const exists = (FS: StartFS, p: string) => (FS as unknown as { analyzePath(p: string): { exists: boolean } }).analyzePath(p).exists;

let FS: StartFS;
let record: FsRecord;

beforeAll(async () => {
  const py = await loadPyodide({ indexURL });
  FS = py.FS as unknown as StartFS;
  FS.mkdirTree("/home/user");
  FS.mkdirTree("/tmp");
  record = new FsRecord(FS);
}, 120_000);

/** A process ran: its start files, then what it made. */
function run(start: [string, string][], made: (fs: StartFS) => void): void {
  writeStartFiles(FS, start.map(([p, s]) => [p, text(s)]), [], record.leftover);
  made(FS);
}

describe("writeStartFiles after a restore that keeps the shared files", () => {
  it("keeps the start files the next process has too, as the same nodes, and removes everything else the last one left", () => {
    run([["/home/user/main.py", "print(1)"], ["/home/user/pkg/mod.py", "x = 1"]], (fs) => {
      fs.writeFile("/home/user/out.txt", text("made by the process"));
      fs.writeFile("/home/user/pkg/extra.py", text("y = 2"));
      fs.mkdirTree("/home/user/made/deep");
      (fs as unknown as { chmod(p: string, m: number): void }).chmod("/home/user/made", 0o700);
      fs.writeFile("/home/user/made/deep/f", text("f"));
      fs.writeFile("/tmp/scratch", text("t"));
      fs.writeFile("/lib/local_file", text("not shared"));
    });
    const kept = node(FS, "/home/user/main.py");
    const changed = node(FS, "/home/user/pkg/mod.py");
    record.restore({ keepShared: true });
    expect(exists(FS, "/lib/local_file")).toBe(false); // outside the shared roots: restored as recorded
    expect(exists(FS, "/home/user/out.txt")).toBe(true); // left for the next start to decide
    expect([...record.leftover.keys()].sort()).toEqual(["/home/user/made", "/home/user/main.py", "/home/user/out.txt", "/home/user/pkg", "/tmp/scratch"]);

    writeStartFiles(FS, [["/home/user/main.py", text("print(1)")], ["/home/user/pkg/mod.py", text("x = 3")], ["/home/user/new.txt", text("n")]], ["/home/user/made"], record.leftover);
    expect(record.leftover.size).toBe(0);
    expect(node(FS, "/home/user/main.py")).toBe(kept);
    expect(read(FS, "/home/user/main.py")).toBe("print(1)");
    expect(read(FS, "/home/user/pkg/mod.py")).toBe("x = 3");
    expect(node(FS, "/home/user/pkg/mod.py")).toBe(changed); // rewritten in place, as a write does
    expect(read(FS, "/home/user/new.txt")).toBe("n");
    for (const gone of ["/home/user/out.txt", "/home/user/pkg/extra.py", "/home/user/made/deep", "/tmp/scratch"]) expect(exists(FS, gone), gone).toBe(false);
    expect(exists(FS, "/home/user/made")).toBe(true); // a directory the start makes stays, emptied
    expect(node(FS, "/home/user/made").mode).toBe(0o40777); // as the start makes it, whatever mode the last process gave it
    expect(FS.readdir("/home/user/made").filter((n) => n !== "." && n !== "..")).toEqual([]);
  });

  it("writes a left file again when its mode is not a write's, and removes what sits where a start file goes", () => {
    run([["/home/user/ro.txt", "same"]], (fs) => {
      (fs as unknown as { chmod(p: string, m: number): void }).chmod("/home/user/ro.txt", 0o444);
      fs.mkdirTree("/home/user/was_dir");
      (fs as unknown as { chmod(p: string, m: number): void }).chmod("/home/user/was_dir", 0o500);
    });
    const before = node(FS, "/home/user/ro.txt");
    record.restore({ keepShared: true });
    writeStartFiles(FS, [["/home/user/ro.txt", text("same")], ["/home/user/was_dir", text("a file now")]], [], record.leftover);
    expect(node(FS, "/home/user/ro.txt")).not.toBe(before);
    expect(node(FS, "/home/user/ro.txt").mode).toBe(0o100666);
    expect(read(FS, "/home/user/was_dir")).toBe("a file now");
  });

  it("does not keep a large file in an idle worker, and a plain restore keeps nothing", () => {
    run([], (fs) => {
      fs.writeFile("/home/user/big.bin", new Uint8Array(2 << 20));
      fs.writeFile("/home/user/small.txt", text("s"));
    });
    record.restore({ keepShared: true });
    expect(exists(FS, "/home/user/big.bin")).toBe(false);
    expect(exists(FS, "/home/user/small.txt")).toBe(true);
    record.restore();
    expect(exists(FS, "/home/user/small.txt")).toBe(false);
    writeStartFiles(FS, [], [], record.leftover);
    expect(FS.readdir("/home/user").filter((n) => n !== "." && n !== "..")).toEqual([]);
  });
});
