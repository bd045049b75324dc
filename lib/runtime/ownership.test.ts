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
        expect(await machine.run({ files, entry }).exit).toBe(0);
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
