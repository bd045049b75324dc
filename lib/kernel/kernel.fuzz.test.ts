/**
 * Property-based fuzzing of the kernel's syscall API (fast-check, seeded and bounded):
 * random and malformed calls from several pids, with spawns, exits, kills and clock ticks
 * in between. Invariants: nothing throws out of `Kernel.syscall`, every error reply is a
 * KernelError's data (no internal JS error wrapped as EIO), pid 1 never dies, an exited
 * process keeps no parked call, and live heap blocks never overlap.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID } from "./index";
import type { JsonObject, SyscallReply } from "./syscalls";
import { TestHost } from "./test-host";

const HEAP = 1 << 16;

const weird = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom("/tmp/a", "/tmp", "x", "Lock", "sem", "127.0.0.1", "localhost", "AF_INET") },
  fc.integer({ min: -5, max: 40 }),
  fc.constantFrom(-1, 0, 1, 2 ** 31, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 0.5, NaN, Infinity, -Infinity),
  fc.string({ maxLength: 8 }),
  fc.constantFrom("", "/", "/tmp/x", "..", "\u0000", "a".repeat(300)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

type Step =
  | { kind: "call"; who: number; name: string; args: Record<string, unknown>; bytes: Uint8Array | null; wantReply: boolean }
  | { kind: "spawn"; who: number }
  | { kind: "exit"; who: number; code: number }
  | { kind: "kill"; who: number; target: number; sig: number }
  | { kind: "tick"; ms: number };

function stepArb(names: string[], keys: string[]): fc.Arbitrary<Step> {
  const who = fc.integer({ min: 0, max: 12 });
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant("call" as const),
        who,
        name: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
        args: fc.oneof(
          { weight: 4, arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, weird]))) },
          { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...keys), weird, { maxKeys: 5 }) },
        ),
        bytes: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: null }),
        wantReply: fc.boolean(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("spawn" as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("exit" as const), who, code: fc.integer({ min: -9, max: 255 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("kill" as const), who, target: fc.integer({ min: -3, max: 12 }), sig: fc.integer({ min: -1, max: 70 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 5000 }) }) },
  );
}

/** Argument names the handlers read, so random calls reach past the argument checks. */
const KEYS = [
  "action", "backlog", "block", "code", "create", "daemon", "duplex", "exclusive", "fd", "from", "handle", "host",
  "how", "id", "intervalMs", "kind", "maxsize", "maxvalue", "n", "name", "nohang", "nonblock", "nowait", "object",
  "offset", "on", "opt", "path", "peek", "pid", "port", "proto", "reason", "ring", "signal", "size", "ticket",
  "value", "valueMs", "timeoutMs", "rings", "role", "sig",
];

function run(steps: Step[]): void {
  const host = new TestHost();
  const { kernel } = createKernel(host, { maxProcesses: 8, heapBytes: HEAP });
  const live = new Map<number, number>(); // offset -> size of each live heap block
  const heap = kernel.heap;
  const alloc = heap.alloc.bind(heap);
  const free = heap.free.bind(heap);
  heap.alloc = (size: number): number => {
    const off = alloc(size);
    const sz = (size + 7) & ~7;
    for (const [o, s] of live) {
      if (off < o + s && o < off + sz) throw new Error(`heap block [${off}, +${sz}) overlaps [${o}, +${s})`);
    }
    if (off <= 0 || off + sz > HEAP) throw new Error(`heap block [${off}, +${sz}) outside the heap`);
    live.set(off, sz);
    return off;
  };
  heap.free = (offset: number, size: number): void => {
    if (live.get(offset) !== ((size + 7) & ~7)) throw new Error(`free of a block never allocated: [${offset}, +${size})`);
    live.delete(offset);
    free(offset, size);
  };
  const pending = (kernel as unknown as { pending: Map<number, unknown> }).pending;
  const exited = new Set<number>();
  kernel.events.on((e) => {
    if (e.type === "exit") exited.add(e.pid);
  });
  const pids = (): number[] => kernel.snapshot().map((p) => p.pid);
  const pick = (i: number): number => {
    const all = pids();
    // Mostly a pid that exists; now and then one that does not.
    return i < 10 ? all[i % all.length] : i + 40;
  };
  for (const s of steps) {
    if (s.kind === "call") kernel.syscall(pick(s.who), s.name, s.args as JsonObject, s.bytes, s.wantReply);
    else if (s.kind === "spawn") {
      try {
        kernel.spawn(pick(s.who), "p", false, { args: {}, bytes: null });
      } catch (e) {
        if (!(e instanceof Error) || !("pyType" in e)) throw e;
      }
    } else if (s.kind === "exit") kernel.exit(pick(s.who), s.code);
    else if (s.kind === "kill") kernel.syscall(pick(s.who), "kill", { pid: s.target, signal: s.sig }, null, true);
    else host.advance(s.ms);
    for (const [pid, list] of host.replies) {
      for (const r of list) checkReply(pid, r);
      list.length = 0;
    }
    const init = kernel.table.get(INIT_PID);
    if (!init || init.state === "zombie") throw new Error("pid 1 died");
    for (const pid of exited) if (pending.has(pid)) throw new Error(`exited pid ${pid} still has a parked call`);
  }
}

let okReplies = 0;
function checkReply(pid: number, r: SyscallReply): void {
  if (r.ok) {
    okReplies++;
    return;
  }
  if (typeof r.error.pyType !== "string") throw new Error(`malformed error reply to ${pid}`);
  if (/kernel error in/.test(r.error.message)) throw new Error(`internal error escaped a handler: ${r.error.message}`);
}

describe("kernel syscall fuzzing", () => {
  it("should keep its invariants under random and malformed syscalls from several pids", () => {
    const names = createKernel(new TestHost()).kernel.syscalls.names();
    let cases = 0;
    fc.assert(
      fc.property(fc.array(stepArb(names, KEYS), { minLength: 1, maxLength: 60 }), (steps) => {
        cases++;
        run(steps);
      }),
      { seed: 0x5eed, numRuns: 8000, endOnFailure: true },
    );
    console.log(`kernel fuzz: ${cases} cases, ${okReplies} successful replies`);
    // Random calls must get past argument checks often, or the fuzzer tests nothing.
    expect(okReplies).toBeGreaterThan(cases / 8);
    expect(cases).toBeGreaterThanOrEqual(8000);
  }, 120_000);
});
