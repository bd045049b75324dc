/**
 * Deadlock diagnosis on real programs (tests/programs/) on the Node host: programs that
 * hang under CPython get a `deadlock` event naming who waits for whom (and keep hanging
 * until stopped); programs whose waits only look stuck for a while never get one.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDeadlock, type DeadlockReport, type KernelEvent } from "@/lib/kernel";
import type { Machine } from "./machine";
import { PROGRAMS, programFiles, runOurs, sharedMachine } from "./testing/programs";

const decoder = new TextDecoder();

interface Hung {
  stdout: string;
  stderr: string;
  report: DeadlockReport;
  /** Deadlock events seen for this program before it was stopped. */
  count: number;
  exitedBeforeStop: boolean;
}

/** Runs `entry` until its deadlock is reported (and a little longer), then stops it. */
async function runToDeadlock(machine: Machine, entry: string): Promise<Hung> {
  let stdout = "";
  let stderr = "";
  const reports: DeadlockReport[] = [];
  const offOut = machine.onOutput((c) => {
    if (c.fd === 1) stdout += decoder.decode(c.data);
    else stderr += decoder.decode(c.data);
  });
  let root = -1;
  let exited = false;
  const offEv = machine.onEvent((ev: KernelEvent) => {
    if (ev.type === "deadlock" && ev.pid === root) reports.push(ev.report);
  });
  try {
    const handle = machine.run({ files: programFiles(entry), entry });
    root = handle.pid;
    void handle.exit.then(() => (exited = true));
    const start = Date.now();
    while (reports.length === 0 && !exited && Date.now() - start < 90_000) await sleep(100);
    await sleep(1500); // it keeps hanging, and is reported once
    const hung = { stdout, stderr, report: reports[0], count: reports.length, exitedBeforeStop: exited };
    machine.stopAll();
    await handle.exit;
    return hung;
  } finally {
    offOut();
    offEv();
  }
}

/** Runs `entry` to its end, counting deadlock events for it. */
async function runToEnd(machine: Machine, entry: string, stdin?: { text: string; afterMs: number }) {
  let deadlocks = 0;
  let root = -1;
  const off = machine.onEvent((ev) => {
    if (ev.type === "deadlock" && ev.pid === root) deadlocks++;
  });
  try {
    const r = await runOurs(machine, entry, {
      onStart: (handle) => {
        root = handle.pid;
        if (stdin) setTimeout(() => machine.writeStdin(stdin.text), stdin.afterMs);
      },
    });
    return { ...r, deadlocks };
  } finally {
    off();
  }
}

/** python3 on a program that hangs: its output until `ms`, then the whole process group is killed. */
function cpythonUntilHang(entry: string, ms: number): Promise<{ stdout: string; stderr: string } | null> {
  return new Promise((resolve) => {
    // A scratch folder: the program writes its tickets file next to itself.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-deadlock-"));
    fs.copyFileSync(path.join(PROGRAMS, entry), path.join(cwd, entry));
    const child = spawn("python3", [entry], { cwd, detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", () => resolve(null));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, ms);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const machine = sharedMachine();

describe("deadlock diagnosis (Node host)", () => {
  it("names the buyer holding the ticket lock in the blog's program, and prints what python3 prints until the hang", async () => {
    const hung = await runToDeadlock(machine(), "blog_ticket_deadlock.py");
    expect(hung.exitedBeforeStop).toBe(false);
    expect(hung.count).toBe(1);
    const failed = /^Process (buyer-\d+):$/m.exec(hung.stderr)?.[1];
    expect(failed).toBeDefined();
    expect(hung.stderr).toMatch(/io\.UnsupportedOperation: not writable\n$/);
    const text = formatDeadlock(hung.report);
    const others = Array.from({ length: 10 }, (_, i) => `buyer-${i + 1}`).filter((n) => n !== failed);
    const line = text.find((l) => l.includes("wait for Lock #1"));
    expect(line).toMatch(new RegExp(`wait for Lock #1, held by ${failed} \\(exited with code 1\\)$`));
    for (const n of others) expect(hung.report.processes.some((p) => p.name === n && p.exitCode === null)).toBe(true);
    expect(hung.report.waits.filter((w) => w.kind === "lock")).toHaveLength(9);
    expect(text.some((l) => /^MainProcess waits for buyer-\d+ to end \(join\)$/.test(l))).toBe(true);

    const theirs = await cpythonUntilHang("blog_ticket_deadlock.py", 8000);
    if (theirs) {
      expect(hung.stdout).toBe(theirs.stdout);
      expect(hung.stderr.split("\n").at(-2)).toBe(theirs.stderr.split("\n").at(-2));
      expect(/^Process buyer-\d+:$/m.test(theirs.stderr)).toBe(true);
      expect(theirs.stderr.match(/^Traceback/gm)).toHaveLength(1);
    }
  }, 180_000);

  it("reports the ABBA cycle of two workers and two locks", async () => {
    const hung = await runToDeadlock(machine(), "deadlock_abba.py");
    expect(hung.stdout).toBe("started\n");
    const text = formatDeadlock(hung.report);
    expect(text[1]).toBe("cycle: worker-1 holds Lock #1, waits for Lock #2; worker-2 holds Lock #2, waits for Lock #1");
    expect(text).toContain("MainProcess waits for worker-1 to end (join)");
  }, 180_000);

  it("reports a parent joining a child that waits for its queue item to be taken", async () => {
    const hung = await runToDeadlock(machine(), "deadlock_queue_join.py");
    expect(hung.stdout).toBe("joining\n");
    const text = formatDeadlock(hung.report);
    expect(text).toContain("MainProcess waits for producer to end (join)");
    expect(text).toContain("producer waits for Queue #1");
    expect(hung.report.cycle.length).toBe(0);
  }, 180_000);

  it("the CLI prints the diagnosis to stderr once and keeps hanging, as python3 would", async () => {
    const root = path.join(__dirname, "..", "..");
    // PYTHONUNBUFFERED: into a pipe, "started" would otherwise stay in the hung parent's buffer (as python3's does).
    const env = { ...process.env, PYTHONUNBUFFERED: "1" };
    const cli = spawn(process.execPath, ["--import", "tsx", "scripts/py.ts", "tests/programs/deadlock_abba.py"], { cwd: root, detached: true, env });
    let stdout = "";
    let stderr = "";
    let exited = false;
    cli.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    cli.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    cli.on("exit", () => (exited = true));
    try {
      const start = Date.now();
      while (!stderr.includes("MainProcess waits") && !exited && Date.now() - start < 120_000) await sleep(200);
      await sleep(2000);
      expect(exited).toBe(false);
      expect(stdout).toBe("started\n");
      expect(stderr.match(/^deadlock: /gm)).toHaveLength(1);
      expect(stderr).toContain("  cycle: worker-1 holds Lock #1, waits for Lock #2; worker-2 holds Lock #2, waits for Lock #1\n");
    } finally {
      if (cli.pid && !exited) process.kill(-cli.pid, "SIGKILL");
    }
  }, 180_000);

  it("stays quiet for a timed wait, a holder that sleeps and a Queue backlog that feeds a getter", async () => {
    const r = await runToEnd(machine(), "no_deadlock_waits.py");
    expect(r.code).toBe(0);
    expect(r.deadlocks).toBe(0);
    expect(r.stdout).toBe("timed acquire: False\nacquired after the holder's sleep\ngot 400000\nproducer done\n");
  }, 180_000);

  it("stays quiet while the parent waits in input() and a child waits for it", async () => {
    const r = await runToEnd(machine(), "no_deadlock_input.py", { text: "hello\n", afterMs: 4000 });
    expect(r.code).toBe(0);
    expect(r.deadlocks).toBe(0);
    expect(r.stdout).toBe("read hello\nchild saw the line\n");
  }, 180_000);
});
