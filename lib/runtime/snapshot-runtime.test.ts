/**
 * The runtime's Python modules inside the interpreter snapshot (worker/snapshot-runtime.ts):
 * workers restored from it do not import the runtime again, its JsProxies of `_spawnpoint_js`
 * reach each worker's own table, the runtime's objects are frozen out of collections, and
 * cached snapshots are keyed on what they hold.
 */
import type { PyodideAPI } from "pyodide";
import { describe, expect, it } from "vitest";
import { Machine } from "./machine";
import { createNodePlatform } from "./node";
import type { Platform } from "./platform";
import { snapshotKeyText } from "./snapshot-key";
import { RuntimeSlots, tableShape } from "./worker/snapshot-runtime";

/** Patched multiprocessing, the FFI in both directions (a lock, a queue through a child, a Barrier) and a fresh pid per process. */
const PROGRAM = `import gc, multiprocessing as mp, os, sys
def child(q, lock, barrier):
    barrier.wait()
    with lock:
        q.put((os.getpid(), os.getppid()))
if __name__ == "__main__":
    print(mp.get_all_start_methods(), type(mp.Lock()).__module__)
    q, lock, barrier = mp.Queue(), mp.Lock(), mp.Barrier(2)
    p = mp.Process(target=child, args=(q, lock, barrier))
    p.start()
    barrier.wait()
    pid, ppid = q.get()
    p.join()
    print(pid == p.pid, ppid == os.getpid(), pid != os.getpid(), p.exitcode)
    print(sorted(m for m in sys.modules if m.startswith("_spawnpoint.sync")))
    # The runtime's objects are frozen: the collection at each process's end skips them.
    print(gc.get_freeze_count() > 10000)
`;

describe("the runtime inside the interpreter snapshot", () => {
  for (const relay of [false, true]) {
    it(`should start ${relay ? "relay-mode " : ""}workers with the runtime already imported, whose calls into JS reach each worker's own table`, async () => {
      const phases: string[] = [];
      const base = createNodePlatform();
      const platform: Platform = { ...base, mark: (name) => void phases.push(name) };
      const machine = new Machine(platform, { poolSize: 1, relay });
      try {
        let out = "";
        machine.onOutput((c) => (out += new TextDecoder().decode(c.data)));
        const code = await machine.run({ files: { "m.py": PROGRAM }, entry: "m.py" }).exit;
        expect(out).toBe("['spawn'] multiprocessing.synchronize\nTrue True True 0\n['_spawnpoint.synchronize']\nTrue\n");
        expect(code).toBe(0);
      } finally {
        machine.dispose();
      }
      const booted = phases.filter((p) => p === "worker ready").length;
      expect(booted).toBeGreaterThanOrEqual(2); // the main process's worker and its child's
      expect(phases.filter((p) => p === "worker runtime from snapshot").length).toBe(booted);
      expect(phases).not.toContain("worker runtime imported");
    }, 240_000);
  }

  it("should key cached snapshots on the runtime's sources", () => {
    const python = { "_spawnpoint/__init__.py": "A = 1\n", "_spawnpoint/main.py": "" };
    expect(snapshotKeyText(python)).toBe(snapshotKeyText({ "_spawnpoint/main.py": "", "_spawnpoint/__init__.py": "A = 1\n" }));
    expect(snapshotKeyText({ ...python, "_spawnpoint/__init__.py": "A = 2\n" })).not.toBe(snapshotKeyText(python));
  });
});

describe("RuntimeSlots", () => {
  /** A Pyodide whose hiwire table is a plain array. */
  function fakePy(table: unknown[]): PyodideAPI {
    const em = {
      __hiwire_get: (i: number) => {
        if (i >= table.length) throw new Error("out of range");
        return table[i];
      },
      __hiwire_set: (i: number, v: unknown) => ((table[i] = v), 0),
    };
    return { _module: em } as unknown as PyodideAPI;
  }

  const real = { RING_OK: 1, syscall: () => "real syscall", post: () => "real post" };

  it("should put the table and its entries where the snapshot's placeholders are", () => {
    const slots = new RuntimeSlots();
    const t = slots.deserialize({ spawnpointFfi: "", shape: tableShape(real) });
    const s = slots.deserialize({ spawnpointFfi: "syscall" });
    expect(slots.found).toBe(true);
    const hiwire = ["other", s, null, t];
    slots.bind(fakePy(hiwire), real);
    expect(hiwire).toEqual(["other", real.syscall, null, real]);
  });

  it("should refuse a table whose names or constants differ from the snapshot's", () => {
    const slots = new RuntimeSlots();
    const t = slots.deserialize({ spawnpointFfi: "", shape: tableShape({ ...real, RING_OK: 2 }) });
    expect(() => slots.bind(fakePy([t]), real)).toThrow(/another _spawnpoint_js table/);
  });

  it("should refuse a snapshot value that is not a table entry", () => {
    expect(() => new RuntimeSlots().deserialize({ path: ["x"] })).toThrow(/cannot restore/);
  });
});
