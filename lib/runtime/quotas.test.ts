/**
 * Quotas, with the error Linux gives: a hostile program (tests/programs/hostile_quotas.py)
 * tries a 3 GiB file, more than its share of the disk, 3 GiB of bytearrays and never-read
 * Queue items. Each attempt fails inside the program (EFBIG, ENOSPC, MemoryError, ENOMEM)
 * while it keeps running; the host stays up and the next program runs. Small quotas keep
 * the test quick; the defaults are the kernel's (FS_PROGRAM_BYTES, …).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FS_FILE_BYTES, FS_PROGRAM_BYTES, INIT_PID } from "@/lib/kernel";
import type { Machine } from "./machine";
import { createNodeMachine } from "./node";

const PROGRAMS = path.join(__dirname, "..", "..", "tests", "programs");
const MiB = 2 ** 20;
const decoder = new TextDecoder();

let machine: Machine;

beforeAll(async () => {
  machine = createNodeMachine({
    poolSize: 1,
    limits: { fsFileBytes: 16 * MiB, fsProgramBytes: 40 * MiB, blobProgramBytes: 40 * MiB, memoryBytes: 256 * MiB },
  });
  await machine.warm();
}, 300_000);

afterAll(() => machine.dispose());

async function run(entry: string, files: Record<string, string>): Promise<{ out: string; err: string; exit: number }> {
  let out = "";
  let err = "";
  const off = machine.onOutput((c) => {
    if (c.fd === 1) out += decoder.decode(c.data);
    else err += decoder.decode(c.data);
  });
  try {
    const exit = await machine.run({ files, entry }).exit;
    return { out, err, exit };
  } finally {
    off();
  }
}

describe("quotas (Node host)", () => {
  it("should default to 256 MiB of files per program and 128 MiB per file", () => {
    expect([FS_PROGRAM_BYTES, FS_FILE_BYTES]).toEqual([256 * MiB, 128 * MiB]);
  });

  it("should refuse a hostile program's file, disk, memory and queue excesses with Linux's errors, and keep the host alive", async () => {
    const entry = "hostile_quotas.py";
    const r = await run(entry, { [entry]: fs.readFileSync(path.join(PROGRAMS, entry), "utf8") });
    expect(r.out).toBe(
      [
        "3 GiB file: OSError File too large at 16 MiB",
        "disk share: OSError No space left on device at file 13",
        // The 14th too, empty: open() made it before its write ran out of room, as on Linux.
        "part files kept: 14",
        "one 2 GiB bytearray: MemoryError",
        "3 GiB of bytearrays: MemoryError below 3072 MiB: True",
        "unread items: OSError True at item 13",
        "still running",
        "",
      ].join("\n"),
    );
    expect(r.err).toContain("memory limit (256 MiB)");
    expect(r.exit).toBe(0);
    // Nothing of it stays: the files were removed, the program's blobs freed at its exit.
    expect(machine.fs.list("/home/user").filter((p) => p.endsWith(".bin"))).toEqual([]);
    const next = await run("ok.py", { "ok.py": "print(6 * 7)\n" });
    expect(next.out).toBe("42\n");
    expect(machine.processes().map((p) => p.pid)).toEqual([INIT_PID]);
  }, 240_000);
});
