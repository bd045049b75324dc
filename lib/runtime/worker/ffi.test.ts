/**
 * The `_spawnpoint_js` table and the Python side agree: every `_js.name` the runtime's Python
 * reads is in the table, every table entry is read by Python (no dead entries), and result
 * codes reach Python from the table instead of being copied by hand.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Booted } from "./boot";
import { Signal } from "@/lib/kernel/signals";
import { createFfi } from "./ffi";
import { RelayClient, relayTable } from "./relay";
import { RingCode } from "./ring";
import { SOCK_AGAIN, SOCK_BIG, SOCK_INTERRUPTED, SOCK_SLOW, SOCK_TEXT_MAX, SOCK_TIMEOUT } from "./sock";

const PYTHON = path.join(__dirname, "..", "python");

function pythonSources(dir = PYTHON): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? pythonSources(p) : e.name.endsWith(".py") ? [fs.readFileSync(p, "utf8")] : [];
  });
}

/** Names Python reads as `_js.name` (the module is imported as `_js` everywhere). */
function namesReadByPython(): Set<string> {
  const names = new Set<string>();
  for (const src of pythonSources()) for (const m of src.matchAll(/(?<!\w)_js\.(\w+)/g)) names.add(m[1]);
  return names;
}

// Building the table only destructures the booted parts; nothing is called.
const table = createFfi({} as Booted);

describe("_spawnpoint_js (ffi.ts)", () => {
  it("should have every function and constant the Python runtime reads", () => {
    const missing = [...namesReadByPython()].filter((n) => !(n in table));
    expect(missing).toEqual([]);
  });

  it("should replace, in relay mode, only entries the table has, and every entry that touches the shared heap", () => {
    const relayed = Object.keys(relayTable(new RelayClient({ call: () => ({ ok: true, json: "0", bytes: null }), post: () => {} }, () => 0), () => new Uint8Array(0), () => {}, () => 0));
    expect(relayed.filter((n) => !(n in table))).toEqual([]);
    // What reads or writes the heap in normal mode (waits, rings, socket rings, heap views, the interrupt word).
    const touchesHeap = Object.keys(table).filter((n) => /^(sem_|ring_|pipe_|heap_)|^sock_(send|recv|sent)|^(sleep|pause|take_interrupt|enable_interrupts)$/.test(n) && !/^RING_|^SOCK_/.test(n));
    expect(touchesHeap.filter((n) => !relayed.includes(n))).toEqual([]);
  });

  it("should have no entry Python never reads", () => {
    const used = namesReadByPython();
    expect(Object.keys(table).filter((n) => !used.has(n))).toEqual([]);
  });

  it("should hand Python the ring result codes of ring.ts, which queues.py and pipe_connection.py compare with by name", () => {
    expect(table).toMatchObject({
      RING_OK: RingCode.OK,
      RING_BLOB: RingCode.BLOB,
      RING_AGAIN: RingCode.AGAIN,
      RING_INTERRUPTED: RingCode.INTERRUPTED,
      RING_TOO_BIG: RingCode.TOO_BIG,
      RING_EOF: RingCode.EOF,
      RING_NO_READER: RingCode.NO_READER,
    });
    for (const file of ["queues.py", "pipe_connection.py"]) {
      const src = fs.readFileSync(path.join(PYTHON, "_spawnpoint", file), "utf8");
      // A result compared with a number of its own would drift from ring.ts unnoticed.
      expect(src, file).not.toMatch(/\br\s*[=!<>]=?\s*-?\d/);
    }
  });

  it("should hand Python the kernel's signal table, with Linux's numbers as python3 has them", () => {
    expect(table.KERNEL_SIGNALS).toBe(Signal);
    const signalsPy = fs.readFileSync(path.join(PYTHON, "_spawnpoint", "signals.py"), "utf8");
    expect(signalsPy).toMatch(/_KERNEL = _js\.KERNEL_SIGNALS\.to_py\(\)/);
    expect(signalsPy).not.toMatch(/SIG\w+ = \d/);
    const names = Object.keys(Signal);
    const r = spawnSync("python3", ["-c", "import signal, sys; print(*(int(getattr(signal, n)) for n in sys.argv[1:]))", ...names], { encoding: "utf8" });
    if (r.error) return; // no python3 to compare with
    expect(r.stdout.trim().split(" ").map(Number)).toEqual(Object.values(Signal));
  });

  it("should hand Python the socket result codes of sock.ts", () => {
    expect(table).toMatchObject({ SOCK_INTERRUPTED, SOCK_TIMEOUT, SOCK_AGAIN, SOCK_SLOW, SOCK_BIG, SOCK_TEXT_MAX });
    const callsPy = fs.readFileSync(path.join(PYTHON, "_spawnpoint_net", "calls.py"), "utf8");
    expect(callsPy).toMatch(/_INTERRUPTED, _TIMEOUT, _AGAIN, _SLOW = _js\.SOCK_INTERRUPTED, _js\.SOCK_TIMEOUT, _js\.SOCK_AGAIN, _js\.SOCK_SLOW/);
  });
});
