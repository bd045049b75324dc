/**
 * Kept starts (worker/checkpoint.ts): in controlled runs a worker keeps a child's state at the
 * end of its start (first point, `__mp_main__` imported, Process unpickled) and an identical
 * later start goes on from there. The runs must be the ones a full start gives, byte for byte,
 * and a start whose kernel answers differ (a file the script looks at changed) must run whole.
 */
import { describe, expect, it } from "vitest";
import { defaultPolicy, randomPolicy } from "@/lib/kernel/sched/policy";
import { runControlled, type ControlledRecord } from "./controlled";
import { programFiles, sharedMachine } from "./testing/programs";

const T = 600_000;
const withCheckpoints = sharedMachine({ poolSize: 4 });
const without = sharedMachine({ poolSize: 4, checkpoints: false });

/** What a replay must reproduce byte for byte. */
function fingerprint(r: ControlledRecord): string {
  return JSON.stringify({ output: r.output, exits: r.exits, events: r.events, steps: r.steps, failure: r.failure, token: r.token });
}

// The child's module-level code looks at a file (a stat: the kernel is asked, but it is no
// scheduling point), so what its start leaves depends on the kernel's answer.
const FLAG = `import os
from multiprocessing import Process

FLAG = os.path.exists("flag.txt")


def child():
    print("child sees the flag:", FLAG)


if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
`;

describe("kept starts of controlled runs' children", () => {
  it("goes on from the kept start of every child after the first schedules, with the same runs as full starts", { timeout: T }, async () => {
    const program = { files: programFiles("sched_tickets_locked.py"), entry: "sched_tickets_locked.py" };
    const on = withCheckpoints();
    const off = without();
    const resumed = on.resumedStarts;
    const n = 8;
    for (let i = 0; i < n; i++) {
      const a = await runControlled(on, program, randomPolicy(i), { seed: 3 });
      const b = await runControlled(off, program, randomPolicy(i), { seed: 3 });
      expect(a.output).toBe("sold 1\n");
      expect(fingerprint(a)).toBe(fingerprint(b));
    }
    // Three children per schedule; the first schedule keeps their starts.
    expect(on.resumedStarts - resumed).toBeGreaterThanOrEqual(3 * (n - 2));
    expect(off.resumedStarts).toBe(0);
  });

  it("runs a child's start whole when the kernel answers it differently (a file its module looks at came or went)", { timeout: T }, async () => {
    const on = withCheckpoints();
    const run = (flag: boolean) => runControlled(on, { files: { "flag.py": FLAG, ...(flag ? { "flag.txt": "x" } : {}) }, entry: "flag.py" }, defaultPolicy);
    const resumed = on.resumedStarts;
    const seen: string[] = [];
    for (const flag of [true, true, false, false, true]) seen.push((await run(flag)).output);
    expect(seen).toEqual(["True", "True", "False", "False", "True"].map((f) => `child sees the flag: ${f}\n`));
    // The second run of each kind went on from the first one's start.
    expect(on.resumedStarts - resumed).toBeGreaterThanOrEqual(2);
  });
});
