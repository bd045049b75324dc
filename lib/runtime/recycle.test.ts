/**
 * Recycled workers (worker/recycle.ts): a worker whose process ended by itself, or was killed
 * while it waited (worker/kill.ts), is put back to its end-of-boot state and runs the next
 * process. What a process sees must be what a fresh interpreter shows: CPython's output for
 * children started one after another, nothing a process changed in its own worker (files,
 * descriptors, timers, memory, what it handed to JS), and controlled runs that replay the
 * same on reused workers.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runControlled } from "./controlled";
import { Signal } from "@/lib/kernel";
import { defaultPolicy } from "@/lib/kernel/sched/policy";
import { programFiles, runCPython, runOurs, sharedMachine } from "./testing/programs";

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    const m = machine();
    if (Date.now() > end) throw new Error(`timed out: ${m.idleWorkers} idle (${m.recycledReturns} put back so far), ${m.liveWorkers} live`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// One waiting worker, up to three kept after use: the next program's processes take the
// recycled ones in the order they came back.
const machine = sharedMachine({ poolSize: 1 });

describe("recycled workers", () => {
  it("should give children started one after another what python3 gives them: fresh state, own random numbers, files flushed at exit", async () => {
    const before = machine().recycledStarts;
    const ours = await runOurs(machine(), "recycled_children.py");
    const theirs = runCPython("recycled_children.py");
    expect(ours.stderr).toBe("");
    expect(ours.code).toBe(0);
    if (theirs) expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout).toContain("every child drew its own random numbers: True");
    // Five children, one waiting worker: most of them ran in a worker another process used.
    expect(machine().recycledStarts - before).toBeGreaterThanOrEqual(3);
  });

  it("should leave the shared files alone when a recycled worker takes its start files (a large file arrives as a placeholder)", async () => {
    const before = machine().recycledStarts;
    const ours = await runOurs(machine(), "recycled_big_file.py");
    const theirs = runCPython("recycled_big_file.py");
    expect(ours.stderr).toBe("");
    if (theirs) expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout).toContain("child 2 read 300000 characters");
    expect(machine().recycledStarts - before).toBeGreaterThanOrEqual(1);
  });

  /** The processes of `recycle_isolation.py check`, run in the workers a dirty run left: each must find a fresh interpreter. */
  async function expectCleanAfter(files: Record<string, string>, returns: number): Promise<void> {
    // Both dirty workers are back (the last of the three idle ones at most), and no worker is
    // still booting: whether the pool booted another one while the child ran depends on
    // timing. The check's four processes, one after another, take the idle workers oldest
    // first, so both dirty ones run a process of the check.
    await until(() => machine().recycledReturns - returns === 2 && machine().idleWorkers === machine().liveWorkers, 30_000);
    const before = machine().recycledStarts;
    const check = await runOurs(machine(), "recycle_isolation.py", { files, argv: ["check"] });
    expect(machine().recycledStarts - before).toBeGreaterThanOrEqual(2);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
    const source = fs.readFileSync(path.join(__dirname, "python", "_spawnpoint", "tracebacks.py"));
    const digest = createHash("sha256").update(source).digest("hex");
    const lines = check.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(" ")[0])).toEqual(["main", "child-0", "child-1", "child-2"]);
    // The runtime file as shipped, no descriptor left open, no new file or folder, the deleted
    // file back, the folder's mode back; the script as this run brings it (its bytes, the mode
    // a new file gets), and the shared folders as the machine's files have them, the same in
    // every process: the file and folders the last run made (a machine keeps its files from
    // run to run), not the link it made in its workers' copies alone.
    const script = createHash("sha256").update(files["recycle_isolation.py"]).digest("hex");
    const shared = lines[0].slice(lines[0].indexOf(" shared: "));
    expect(shared).toContain("/recycle_isolation.py,");
    expect(shared).toContain("/leftover.txt,");
    expect(shared).toContain(",/tmp/leftover-dir,/tmp/leftover-dir/sub");
    expect(shared).not.toContain("leftover-link");
    for (const line of lines) expect(line.slice(line.indexOf(" ") + 1)).toBe(`${digest} open main.py fds: [] False False True 0o777 script: ${script} 0o666${shared}`);
  }

  it("should undo what a process changed in its worker before another process runs there", async () => {
    const files = programFiles("recycle_isolation.py");
    // The last test's workers are back first (they put themselves back after its run ended).
    await until(() => machine().idleWorkers === machine().liveWorkers, 30_000);
    const returns = machine().recycledReturns;
    const dirty = await runOurs(machine(), "recycle_isolation.py", { files, argv: ["dirty"] });
    expect(dirty.stdout).toBe("dirty 0\n");
    expect(dirty.stderr).toBe("");
    await expectCleanAfter(files, returns);
  });

  /** Runs `entry` and presses Stop 0.5 s after its output says `ready`: its processes wait by then. */
  function runUntilStop(entry: string, files: Record<string, string>, argv: string[], ready: (stdout: string) => boolean): ReturnType<typeof runOurs> {
    let stopped = false;
    return runOurs(machine(), entry, {
      files,
      argv,
      onStdout: (out) => {
        if (stopped || !ready(out)) return;
        stopped = true;
        setTimeout(() => machine().stopAll(), 500);
      },
    });
  }

  it("should put back the workers of processes killed while they wait (Stop), with nothing of them left for the next process", async () => {
    const files = programFiles("recycle_isolation.py");
    await until(() => machine().idleWorkers === machine().liveWorkers, 30_000);
    const returns = machine().recycledReturns;
    // Stopped while the child sleeps and the main process waits in join(): both are parked.
    const killed = await runUntilStop("recycle_isolation.py", files, ["killed"], (out) => out.includes("main dirtied") && out.includes("child dirtied"));
    expect(killed.code).toBe(-9);
    expect(killed.stderr).toBe("");
    // Put back, not ended and booted again: expectCleanAfter waits for the two returns.
    await expectCleanAfter(files, returns);
  });

  it("should leave the shared memory as the kill found it: a process killed in a lock wait writes nothing there as it unwinds", async () => {
    await until(() => machine().idleWorkers === machine().liveWorkers, 30_000);
    const returns = machine().recycledReturns;
    let child = 0;
    let heapAtKill: Uint8Array | null = null;
    const run = runOurs(machine(), "killed_waiter.py", {
      onStdout: (out) => {
        const m = /child (\d+)\n[^]*child waiting|child waiting[^]*child (\d+)\n/.exec(out);
        if (child || !m) return;
        child = Number(m[1] ?? m[2]);
        setTimeout(() => {
          // The child is parked in acquire() (its waiter count is in the lock's words).
          heapAtKill = new Uint8Array(machine().kernel.heap.buffer).slice();
          machine().signal(child, Signal.SIGKILL);
        }, 500);
      },
    });
    await until(() => machine().recycledReturns - returns === 1, 30_000);
    const now = new Uint8Array(machine().kernel.heap.buffer);
    const changed = heapAtKill === null ? -2 : now.findIndex((byte, i) => byte !== heapAtKill![i]);
    expect(changed).toBe(-1);
    machine().stopAll();
    expect((await run).code).toBe(-9);
  });

  it("should make what a killed process handed to JS unusable, so it cannot reach the next process's interpreter", async () => {
    const files = programFiles("killed_leak.py");
    await until(() => machine().idleWorkers === machine().liveWorkers, 30_000);
    const returns = machine().recycledReturns;
    const leak = await runUntilStop("killed_leak.py", files, ["leak"], (out) => out.includes("leaked"));
    expect(leak.code).toBe(-9);
    await until(() => machine().recycledReturns - returns === 1 && machine().idleWorkers === machine().liveWorkers, 30_000);
    // Four processes at once take every idle worker, the killed one's among them.
    const probe = await runOurs(machine(), "killed_leak.py", { files, argv: ["probe"] });
    expect(probe.stderr).toBe("");
    expect(probe.stdout).not.toContain("called");
    expect(probe.stdout).toContain("refused: JsException Error: This Python object belonged to a process that was killed: its interpreter has been reset.");
  });

  it("should replay a controlled run exactly on recycled workers", async () => {
    const program = { files: programFiles("sched_tickets.py"), entry: "sched_tickets.py" };
    const before = machine().recycledStarts;
    const first = await runControlled(machine(), program, defaultPolicy, { seed: 7 });
    const again = [];
    for (let i = 0; i < 3; i++) again.push(await runControlled(machine(), program, defaultPolicy, { seed: 7 }));
    expect(machine().recycledStarts - before).toBeGreaterThan(0);
    for (const r of again) {
      expect(r.output).toBe(first.output);
      expect(r.decisions).toEqual(first.decisions);
      expect(r.exits).toEqual(first.exits);
      expect(r.token).toBe(first.token);
    }
  });
});
