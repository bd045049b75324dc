/**
 * Worker lifecycle: workers are single-use (one interpreter per process), so every run
 * consumes a booted interpreter and the pool boots a replacement. Nothing may leak.
 */
import { describe, expect, it } from "vitest";
import { INIT_PID } from "@/lib/kernel";
import { createNodeMachine } from "./node";

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Machine", () => {
  describe("worker pool", () => {
    it("should be back to idle workers only, no more than it keeps, after 100 runs, some of them stopped mid-way", async () => {
      const machine = createNodeMachine({ poolSize: 2 });
      try {
        await machine.warm();
        const codes: number[] = [];
        for (let i = 0; i < 100; i++) {
          const program = i % 10 === 9 ? "import time\ntime.sleep(60)\n" : `print(${i})\n`;
          const handle = machine.run({ files: { "run.py": program }, entry: "run.py" });
          if (i % 10 === 9) machine.stopAll();
          codes.push(await handle.exit);
        }
        expect(codes.filter((c) => c === 0)).toHaveLength(90);
        expect(codes.filter((c) => c === -9)).toHaveLength(10);
        // Every live worker waits (none is stuck with a process that ended); workers put back
        // after their process fill the pool up to what it keeps.
        await until(() => machine.idleWorkers >= machine.poolSize && machine.idleWorkers === machine.liveWorkers, 60_000);
        expect(machine.liveWorkers).toBeLessThanOrEqual(machine.maxIdleWorkers);
        expect(machine.processes().map((p) => p.pid)).toEqual([INIT_PID]);
      } finally {
        machine.dispose();
      }
      expect(machine.liveWorkers).toBe(0);
    }, 400_000);
  });
});
