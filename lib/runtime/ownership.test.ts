/**
 * Two programs on one machine: one may not signal the other (EPERM, as Linux refuses a
 * process of another user), and the refused signal leaves the victim running.
 */
import { describe, expect, it } from "vitest";
import { programFiles, runOurs, sharedMachine } from "./testing/programs";

const machine = sharedMachine();
const decoder = new TextDecoder();

/** Output per pid while `body` runs. */
async function collecting(body: (outs: Map<number, string>) => Promise<void>): Promise<void> {
  const outs = new Map<number, string>();
  const off = machine().onOutput((c) => outs.set(c.pid, (outs.get(c.pid) ?? "") + decoder.decode(c.data)));
  try {
    await body(outs);
  } finally {
    off();
  }
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe("ownership between programs (Node host)", () => {
  it("should refuse os.kill on another program's process with PermissionError errno 1", async () => {
    const victim = machine().run({ files: { "victim.py": "import time\ntime.sleep(60)\n" }, entry: "victim.py" });
    // The victim prints nothing: all output is the attacker's.
    const r = await runOurs(machine(), "kill_other_program.py", { argv: [String(victim.pid)] });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "kill 15 PermissionError 1 Operation not permitted\n" + "kill 0 PermissionError 1 Operation not permitted\n" + "own child: -15\n",
    );
    expect(machine().kernel.table.get(victim.pid)?.state).not.toBe("zombie");
    machine().signal(victim.pid, 9);
    expect(await victim.exit).toBe(-9);
  }, 120_000);

  it("should refuse a hostile program's heap_set, ring and lock calls on another program's Queue and Lock (EFAULT); the victim's Queue keeps working", async () => {
    await collecting(async (outs) => {
      const victim = machine().run({ files: programFiles("heap_victim.py"), entry: "heap_victim.py" });
      await until(() => (outs.get(victim.pid) ?? "").includes("\n"));
      const [ring, lock] = (outs.get(victim.pid) ?? "").trim().split(" ");
      const attacker = machine().run({ files: programFiles("hostile_heap.py"), entry: "hostile_heap.py", argv: [ring, lock] });
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
      machine().writeStdin("go\n", victim.pid);
      expect(await victim.exit).toBe(0);
      expect(outs.get(victim.pid)).toContain("victim sum 4950\n");
    });
  }, 120_000);

  it("should give each program its own stdin: a line typed for one never reaches another", async () => {
    const reader = "import sys\nprint('up', flush=True)\nprint('got', repr(input()), repr(sys.stdin.readline()))\n";
    await collecting(async (outs) => {
      const a = machine().run({ files: { "a.py": reader }, entry: "a.py" });
      const b = machine().run({ files: { "b.py": reader }, entry: "b.py" });
      await until(() => [a, b].every((h) => (outs.get(h.pid) ?? "").includes("up")));
      machine().writeStdin("for a\n", a.pid);
      machine().writeStdin("for b\n", b.pid);
      machine().closeStdin(b.pid);
      machine().writeStdin("more for a\n", a.pid);
      expect(await a.exit).toBe(0);
      expect(await b.exit).toBe(0);
      expect(outs.get(a.pid)).toBe("up\ngot 'for a' 'more for a\\n'\n");
      expect(outs.get(b.pid)).toBe("up\ngot 'for b' ''\n");
    });
  }, 120_000);

  it("should free a program's Queues when it ends: many runs of a program making 100 Queues on one machine", async () => {
    const inUse: number[] = [];
    for (let run = 0; run < 6; run++) {
      expect(await runOurs(machine(), "many_queues.py")).toEqual({ stdout: "4950 100\n", stderr: "", code: 0 });
      inUse.push(machine().kernel.heap.inUse);
    }
    // Flat: every run leaves the heap as the first one did.
    expect(new Set(inUse.slice(1)).size).toBe(1);
    expect(inUse[5]).toBeLessThanOrEqual(inUse[0]);
  }, 240_000);
});
