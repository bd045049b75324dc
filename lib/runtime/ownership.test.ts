/**
 * Two programs on one machine: one may not signal the other (EPERM, as Linux refuses a
 * process of another user), and the refused signal leaves the victim running.
 */
import { describe, expect, it } from "vitest";
import { runOurs, sharedMachine } from "./testing/programs";

const machine = sharedMachine();

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
