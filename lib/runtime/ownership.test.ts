/**
 * Two programs on one machine: one may not signal the other (EPERM, as Linux refuses a
 * process of another user), and the refused signal leaves the victim running.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Machine } from "./machine";
import { createNodeMachine } from "./node";

const PROGRAMS = path.join(__dirname, "..", "..", "tests", "programs");
const decoder = new TextDecoder();

let machine: Machine;

beforeAll(async () => {
  machine = createNodeMachine({ poolSize: 2 });
  await machine.warm();
});

afterAll(() => machine.dispose());

describe("ownership between programs (Node host)", () => {
  it("should refuse os.kill on another program's process with PermissionError errno 1", async () => {
    const victim = machine.run({ files: { "victim.py": "import time\ntime.sleep(60)\n" }, entry: "victim.py" });
    let stdout = "";
    const off = machine.onOutput((c) => {
      if (c.fd === 1 && c.pid !== victim.pid) stdout += decoder.decode(c.data);
    });
    try {
      const entry = "kill_other_program.py";
      const attacker = machine.run({
        files: { [entry]: fs.readFileSync(path.join(PROGRAMS, entry), "utf8") },
        entry,
        argv: [String(victim.pid)],
      });
      expect(await attacker.exit).toBe(0);
    } finally {
      off();
    }
    expect(stdout).toBe(
      "kill 15 PermissionError 1 Operation not permitted\n" + "kill 0 PermissionError 1 Operation not permitted\n" + "own child: -15\n",
    );
    expect(machine.kernel.table.get(victim.pid)?.state).not.toBe("zombie");
    machine.signal(victim.pid, 9);
    expect(await victim.exit).toBe(-9);
  }, 120_000);

  it("should refuse a hostile program's heap_set, ring and lock calls on another program's Queue and Lock (EFAULT); the victim's Queue keeps working", async () => {
    const read = (f: string): string => fs.readFileSync(path.join(PROGRAMS, f), "utf8");
    const outs = new Map<number, string>();
    const off = machine.onOutput((c) => outs.set(c.pid, (outs.get(c.pid) ?? "") + decoder.decode(c.data)));
    try {
      const victim = machine.run({ files: { "heap_victim.py": read("heap_victim.py") }, entry: "heap_victim.py" });
      const deadline = Date.now() + 60_000;
      while (!(outs.get(victim.pid) ?? "").includes("\n") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const [ring, lock] = (outs.get(victim.pid) ?? "").trim().split(" ");
      const attacker = machine.run({ files: { "hostile_heap.py": read("hostile_heap.py") }, entry: "hostile_heap.py", argv: [ring, lock] });
      expect(await attacker.exit).toBe(0);
      expect(outs.get(attacker.pid)).toBe(
        [
          "heap_set on its ring lock refused: True",
          "heap_set on its ring capacity refused: True",
          "heap_get of its ring refused: True",
          "ring_get_text (take its item) refused: True",
          "ring_put_text refused: True",
          "sem_try on its lock refused: True",
          "heap_set outside every block refused: True",
          "own Value 6",
          "",
        ].join("\n"),
      );
      machine.writeStdin("go\n");
      expect(await victim.exit).toBe(0);
      expect(outs.get(victim.pid)).toContain("victim sum 4950\n");
    } finally {
      off();
    }
  }, 120_000);

  it("should give each program its own stdin: a line typed for one never reaches another", async () => {
    const reader = "import sys\nprint('up', flush=True)\nprint('got', repr(input()), repr(sys.stdin.readline()))\n";
    const outs = new Map<number, string>();
    const off = machine.onOutput((c) => outs.set(c.pid, (outs.get(c.pid) ?? "") + decoder.decode(c.data)));
    try {
      const a = machine.run({ files: { "a.py": reader }, entry: "a.py" });
      const b = machine.run({ files: { "b.py": reader }, entry: "b.py" });
      const deadline = Date.now() + 60_000;
      while (![a, b].every((h) => (outs.get(h.pid) ?? "").includes("up")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      machine.writeStdin("for a\n", a.pid);
      machine.writeStdin("for b\n", b.pid);
      machine.closeStdin(b.pid);
      machine.writeStdin("more for a\n", a.pid);
      expect(await a.exit).toBe(0);
      expect(await b.exit).toBe(0);
      expect(outs.get(a.pid)).toBe("up\ngot 'for a' 'more for a\\n'\n");
      expect(outs.get(b.pid)).toBe("up\ngot 'for b' ''\n");
    } finally {
      off();
    }
  }, 120_000);

  it("should free a program's Queues when it ends: many runs of a program making 100 Queues on one machine", async () => {
    const entry = "many_queues.py";
    const files = { [entry]: fs.readFileSync(path.join(PROGRAMS, entry), "utf8") };
    const inUse: number[] = [];
    for (let run = 0; run < 6; run++) {
      let out = "";
      const off = machine.onOutput((c) => {
        out += decoder.decode(c.data);
      });
      try {
        const code = await machine.run({ files, entry }).exit;
        expect([code, out]).toEqual([0, "4950 100\n"]);
      } finally {
        off();
      }
      expect(out).toBe("4950 100\n");
      inUse.push(machine.kernel.heap.inUse);
    }
    // Flat: every run leaves the heap as the first one did.
    expect(new Set(inUse.slice(1)).size).toBe(1);
    expect(inUse[5]).toBeLessThanOrEqual(inUse[0]);
  }, 240_000);
});
