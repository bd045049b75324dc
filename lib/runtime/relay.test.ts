/**
 * Relay mode (no memory shared with or between workers) on the Node host: the runtime's
 * program-parity list and the signal programs print what python3 prints. The machine is
 * checked to really be in relay mode: its heap is no SharedArrayBuffer, no worker was given a
 * heap or any other SharedArrayBuffer but its private control block, and the programs' shared
 * state went through relayed ops. (The whole of runtime.test.ts, signals.test.ts, the network
 * programs and the lesson blocks also run in relay mode with SPAWNPOINT_RELAY=1.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomPolicy } from "@/lib/kernel/sched/policy";
import { replayToken, runControlled, type ControlledRecord } from "./controlled";
import { Machine } from "./machine";
import { createNodePlatform } from "./node";
import type { HostToWorker } from "./protocol";
import { programFiles, runCPython, runOurs } from "./testing/programs";

const boots: Extract<HostToWorker, { type: "boot" }>[] = [];
let machine: Machine;

beforeAll(async () => {
  const platform = createNodePlatform();
  machine = new Machine(
    {
      ...platform,
      createWorker: () => {
        const w = platform.createWorker();
        return {
          ...w,
          post: (msg, transfer) => {
            if (msg.type === "boot") boots.push(msg);
            w.post(msg, transfer);
          },
        };
      },
    },
    { poolSize: 2, relay: true },
  );
  await machine.warm();
}, 120_000);

afterAll(() => machine.dispose());

const run = (entry: string) => runOurs(machine, entry, { files: programFiles() });

describe("relay mode (Node host)", () => {
  it("should share no memory with its workers", async () => {
    const ops = machine.relay?.ops ?? 0;
    const r = await run("shared_values.py");
    expect(r.code).toBe(0);
    expect(machine.relay).not.toBeNull();
    expect(machine.kernel.heap.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(boots.length).toBeGreaterThan(0);
    for (const b of boots) {
      expect(b.heap).toBeNull();
      expect(b.snapshot?.buffer instanceof SharedArrayBuffer).toBe(false);
      expect(b.stdlib?.buffer instanceof SharedArrayBuffer).toBe(false);
    }
    expect(machine.relay!.ops).toBeGreaterThan(ops + 10);
  });

  it.each([
    // The parity list of runtime.test.ts.
    "process_basics.py", "exit_codes.py", "mp_main.py", "no_main_guard.py", "lambda_target.py", "daemons.py", "shared_values.py", "shared_char_array.py", "pipes.py", "listener_client.py", "shared_memory.py", "unix_sockets.py", "manager_address.py", "queue_feeder_error.py", "manager_reprs.py", "manager_pool_errors.py", "manager_iterators.py", "unclosed_files.py", "heap_buffers.py", "shared_structs.py", "shared_reprs.py", "native_id_abstract.py",
    // Signals: handlers inside waits and in busy loops, stop/continue, ignore, alarm.
    "busy_signals.py", "signal_terminate.py", "signal_ignore.py", "signal_usr1.py", "signal_rules.py", "signal_stop.py",
  ])("should print what python3 prints for %s", async (entry) => {
    const ours = await run(entry);
    const theirs = runCPython(entry);
    expect(ours.code, ours.stderr).toBe(theirs?.code ?? 0);
    if (theirs) expect(ours.stdout).toBe(theirs.stdout);
  });

  it("should run the synchronisation, queue, pipe, pool and output-order programs", async () => {
    const locks = await run("locks.py");
    expect(locks.code, locks.stderr).toBe(0);
    const theirs = runCPython("locks.py");
    if (theirs) expect(locks.stdout).toBe(theirs.stdout);
    const qp = await run("queues_pipes.py");
    expect(qp.code, qp.stderr).toBe(0);
    expect(qp.stdout).toContain("EOFError: every writer closed");
    const order = await run("output_order.py");
    expect(order.code, order.stderr).toBe(0);
    const ping = order.stdout.split("\n").filter((l) => /^(ping|pong) /.test(l));
    for (let k = 1; k < ping.length; k++) expect(ping[k].slice(0, 4)).not.toBe(ping[k - 1].slice(0, 4));
  });

  it("should post releases, Value stores and unbounded Queue puts one-way, and still print what python3 prints", async () => {
    const relay = machine.relay!;
    const [ops, posted] = [relay.ops, relay.posted];
    const r = await run("relay_oneway.py");
    expect(r.code, r.stderr).toBe(0);
    const theirs = runCPython("relay_oneway.py");
    if (theirs) expect(r.stdout).toBe(theirs.stdout);
    // Each worker's 300 rounds: a put, a store, an RLock release and a semaphore release need no
    // answer; only the RLock's acquire and the Value's load wait for one. The main process's
    // 602 gets and 601 non-blocking acquires wait too, and each running worker asks for a
    // pending signal every 15 ms: ~2,700 round trips, against ~5,100 when every op waited.
    const oneway = relay.posted - posted;
    const sync = relay.ops - ops - oneway;
    expect(oneway).toBeGreaterThanOrEqual(2 * 300 * 4);
    expect(sync).toBeLessThan(3500);
  });

  it("should read a Queue ahead while one process alone can reach it, and hand the rest to a child it starts, as python3 does", async () => {
    const relay = machine.relay!;
    const gets = { n: 0 };
    const handle = relay.handle.bind(relay);
    relay.handle = (pid, op, args, bytes) => {
      if (op === "ring.get") gets.n++;
      handle(pid, op, args, bytes);
    };
    try {
      const r = await run("queue_read_ahead.py");
      expect(r.code, r.stderr).toBe(0);
      const theirs = runCPython("queue_read_ahead.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    } finally {
      relay.handle = handle;
    }
    // The parent's 4,011 gets come from a few round trips; the child's 990 are one each (two processes).
    expect(gets.n).toBeLessThan(990 + 50);
  });

  it("should read a Barrier's state once per hold of its lock, and still print what python3 prints", async () => {
    const relay = machine.relay!;
    const loads = { n: 0 };
    const handle = relay.handle.bind(relay);
    relay.handle = (pid, op, args, bytes) => {
      if (op === "heap.get") loads.n++;
      handle(pid, op, args, bytes);
    };
    try {
      const r = await run("barrier_rounds.py");
      expect(r.code, r.stderr).toBe(0);
      const theirs = runCPython("barrier_rounds.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    } finally {
      relay.handle = handle;
    }
    // 60 waits: about ten loads each when every read of _state or _count is one, four now.
    expect(loads.n).toBeLessThan(60 * 6);
  });

  it("should turn Ctrl-C into KeyboardInterrupt in a sleeping program", async () => {
    const r = await runOurs(machine, "interrupt.py", {
      files: programFiles(),
      onStdout: (out) => {
        if (out.includes("sleeping")) machine.interrupt();
      },
    });
    expect(r.stderr).toContain("KeyboardInterrupt");
    expect(r.code).toBe(-2);
  });

  it("should feed input() from stdin", async () => {
    const r = await runOurs(machine, "stdin_echo.py", { files: programFiles(), stdin: "Ada\n" });
    expect(r.stdout).toBe("name? hello Ada\nchild stdin is closed (EOFError)\nEOFError at end of input\n");
  });

  it("should run controlled mode: a racy program's schedules differ, and a token replays byte for byte", async () => {
    const program = { files: programFiles("sched_race.py"), entry: "sched_race.py" };
    const fingerprint = (r: ControlledRecord) => JSON.stringify({ output: r.output, exits: r.exits, events: r.events, decisions: r.decisions, failure: r.failure });
    const outputs = new Map<string, string>();
    for (let seed = 0; seed < 12 && outputs.size < 2; seed++) {
      const r = await runControlled(machine, program, randomPolicy(seed), { seed });
      expect(r.failure).toBeNull();
      outputs.set(r.output, r.token);
    }
    // A lost update (counter < 6) and a clean run: only a controlled run can pick both.
    expect(outputs.size).toBe(2);
    for (const [output, token] of outputs) {
      const a = await replayToken(machine, program, token);
      const b = await replayToken(machine, program, token);
      expect(a.output).toBe(output);
      expect(fingerprint(b)).toBe(fingerprint(a));
    }
  }, 300_000);
});
