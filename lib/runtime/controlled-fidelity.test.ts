/**
 * Controlled runs keep CPython's behaviour where the order of points cannot decide it:
 * a signal interrupts the wait it arrives in, an alarm on the virtual clock ends a wait nothing
 * else would, a sleep ends at its own deadline and no
 * earlier, a message sent through the kernel (a Manager's replies) wakes its reader, and an
 * orphan's exit ends the run, a file lock waits for its holder's release, close, exit or death
 * and is interrupted by a signal as in CPython. Each program's output is python3's, under the default
 * schedule and under random ones with time passing only when nothing can move (`timed`,
 * how lesson blocks are checked). Random schedules that may also let time pass while a
 * process could move are left out: they can stall a process past any timeout, on purpose.
 */
import { describe, expect, it } from "vitest";
import { defaultPolicy, randomPolicy } from "@/lib/kernel/sched/policy";
import type { Policy } from "@/lib/kernel/sched/types";
import { runControlled } from "./controlled";
import { programFiles, runCPython, sharedMachine } from "./testing/programs";

const machine = sharedMachine();
const T = 300_000;

const PROGRAMS: readonly { name: string; sorted?: boolean }[] = [
  { name: "sched_signal_wait.py" },
  { name: "sched_sleepers.py" },
  { name: "orphan_getppid.py" },
  { name: "manager_sync_anywhere.py", sorted: true },
  { name: "file_locks.py" },
  { name: "sched_alarm.py" },
];

const schedules: readonly { label: string; policy: () => Policy; timed: boolean }[] = [
  { label: "default", policy: () => defaultPolicy, timed: false },
  { label: "random 1, timed", policy: () => randomPolicy(1), timed: true },
  { label: "random 2, timed", policy: () => randomPolicy(2), timed: true },
  { label: "random 3, timed", policy: () => randomPolicy(3), timed: true },
];

/** The manager's two processes print in either order, in CPython too. */
const lines = (s: string, sorted: boolean) => (sorted ? s.split("\n").sort().join("\n") : s);

describe("controlled runs print what python3 prints", () => {
  describe.each(PROGRAMS)("$name", ({ name, sorted = false }) => {
    const want = runCPython(name);
    it.each(schedules)("under the $label schedule", { timeout: T }, async ({ policy, timed }) => {
      expect(want, "python3 is needed").not.toBeNull();
      const r = await runControlled(machine(), { files: programFiles(name), entry: name }, policy(), { timed });
      // A child's own exit code (the sleeper's 3) is the program's business: only a hang fails here.
      expect(["deadlock", "limit"]).not.toContain(r.failure?.kind);
      expect(lines(r.output, sorted)).toBe(lines(want?.stdout ?? "", sorted));
    });
  });
});
