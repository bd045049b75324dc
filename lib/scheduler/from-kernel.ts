import type { KernelEvent } from "@/lib/kernel";
// The table's own module: the kernel's index would bring the whole kernel into the scheduler view.
import { signalName as kernelSignalName } from "@/lib/kernel/signals";
import { blockReasonLabel } from "./captions";
import type { BlockReason, Caption, CaptionKey, CaptionParams, Frame, ProcessStateName, Trace, TraceEvent } from "./types";

const INIT = 1;

function signalName(n: number): string {
  return kernelSignalName(n) ?? `signal ${n}`;
}

function blockReason(on: string, object: string, timeoutMs: number | null): BlockReason {
  if (on === "sleep") return timeoutMs === null ? { type: "sleep" } : { type: "sleep", until: timeoutMs };
  if (on === "join") {
    const m = /pid (\d+)/.exec(object);
    if (m) return { type: "join", pid: Number(m[1]) };
  }
  return { type: "other", what: object ? `${on} ${object}` : on };
}

/** The process-lifecycle part of the kernel stream. Network events (`net.*`) and deadlock reports are not the scheduler's business and are skipped. */
export type ReplayEvent = Extract<KernelEvent, { type: "spawn" | "state" | "rename" | "block" | "unblock" | "signal" | "exit" | "reparent" | "reap" }>;

const PROCESS_EVENT_TYPES: ReadonlySet<string> = new Set(["spawn", "state", "rename", "block", "unblock", "signal", "exit", "reparent", "reap"]);

function isProcessEvent(e: KernelEvent): e is ReplayEvent {
  return PROCESS_EVENT_TYPES.has(e.type);
}

interface Known {
  name: string;
  ppid: number;
  state: ProcessStateName;
  blockedOn?: BlockReason;
}

/**
 * Maps a real run's kernel event stream onto the scheduler view's trace.
 *
 * The kernel emits a block/unblock/exit and then the matching `state` event; those pairs
 * become one frame, so a reader steps through things that happened, not bookkeeping.
 * Re-parenting and reaping get frames of their own so the tree's edges visibly move.
 * `sleep` blocks show as "sleeping"; init (pid 1), which the kernel never announces, is
 * added at the start. Time is milliseconds since the first event.
 */
export function fromKernelEvents(stream: readonly KernelEvent[]): Trace {
  const events = stream.filter(isProcessEvent);
  const initSpawn: TraceEvent[] = [
    { type: "spawn", pid: INIT, ppid: 0, name: "init", daemon: false, state: "blocked" },
    { type: "state", pid: INIT, state: "blocked", blockedOn: { type: "wait-any" } },
  ];
  if (events.length === 0) return { timeUnit: "ms", frames: [{ time: 0, events: initSpawn, caption: { key: "replay-empty", params: {} } }] };

  const t0 = events[0]?.t ?? 0;
  const known = new Map<number, Known>([[INIT, { name: "init", ppid: 0, state: "blocked", blockedOn: { type: "wait-any" } }]]);
  const frames: Frame[] = [];
  // A reap right after a zombie's adoption is init "reaping at once"; remember which were adopted as zombies.
  const adoptedZombies = new Set<number>();
  let pendingInit = true;

  const nameOf = (pid: number) => known.get(pid)?.name ?? `pid ${pid}`;
  const push = (t: number, key: CaptionKey, params: CaptionParams, evs: TraceEvent[]) => {
    const caption: Caption = { key, params };
    if (pendingInit) {
      pendingInit = false;
      evs = [...initSpawn, ...evs];
    }
    frames.push({ time: Math.max(0, t - t0), events: evs, caption });
  };
  /** Events for a pid the stream never spawned (it started before recording): add it so the trace stays valid. */
  const ensure = (pid: number, evs: TraceEvent[]) => {
    if (known.has(pid)) return;
    known.set(pid, { name: `pid ${pid}`, ppid: INIT, state: "running" });
    evs.push({ type: "spawn", pid, ppid: INIT, name: `pid ${pid}`, daemon: false, state: "running" });
  };
  const last = () => frames[frames.length - 1];

  for (const ev of events) {
    const pre: TraceEvent[] = [];
    if (ev.type !== "spawn") ensure(ev.pid, pre);
    const k = known.get(ev.pid);
    switch (ev.type) {
      case "spawn": {
        if (known.has(ev.pid)) break;
        if (!known.has(ev.ppid)) ensure(ev.ppid, pre);
        known.set(ev.pid, { name: ev.name, ppid: ev.ppid, state: "new" });
        const spawn: TraceEvent = { type: "spawn", pid: ev.pid, ppid: ev.ppid, name: ev.name, daemon: ev.daemon, state: "new" };
        if (frames.length === 0) push(ev.t, "replay-start", { name: ev.name, pid: ev.pid }, [...pre, spawn]);
        else push(ev.t, ev.daemon ? "spawn-daemon" : "spawn", { name: nameOf(ev.ppid), child: ev.name, pid: ev.pid }, [...pre, spawn]);
        break;
      }
      case "rename":
        if (k) k.name = ev.name;
        push(ev.t, "rename", { name: ev.name, pid: ev.pid }, [...pre, { type: "rename", pid: ev.pid, name: ev.name }]);
        break;
      case "state": {
        if (!k) break;
        // zombie comes with its exit event; blocked with its block event (which knows on what).
        if (ev.state === "zombie" || (ev.state === "blocked" && (k.state === "blocked" || k.state === "sleeping"))) break;
        const state: ProcessStateName = ev.state === "starting" ? "new" : ev.state;
        if (state === k.state) break;
        const before = k.state;
        k.state = state;
        delete k.blockedOn;
        const change: TraceEvent = { type: "state", pid: ev.pid, state };
        const prev = last();
        // The state that follows an unblock belongs to the unblock's frame.
        if (prev && prev.caption.key === "unblocked" && prev.caption.params.pid === ev.pid && pre.length === 0) {
          prev.events.push(change);
          break;
        }
        const key: CaptionKey = before === "new" && state === "running" ? "booted" : "state-change";
        push(ev.t, key, { name: k.name, pid: ev.pid, state }, [...pre, change]);
        break;
      }
      case "block": {
        // A stopped process stays stopped (T) whatever its call does; SIGCONT's state event says what it is then.
        if (!k || k.state === "stopped") break;
        const reason = blockReason(ev.on, ev.object, ev.timeoutMs);
        const state: ProcessStateName = ev.on === "sleep" ? "sleeping" : "blocked";
        k.state = state;
        k.blockedOn = reason;
        const change: TraceEvent = { type: "state", pid: ev.pid, state, blockedOn: reason };
        if (reason.type === "join") push(ev.t, "join-block", { name: k.name, child: nameOf(reason.pid), pid: reason.pid }, [...pre, change]);
        else if (reason.type === "sleep") push(ev.t, "sleep", { name: k.name, pid: ev.pid, ticks: ev.timeoutMs === null ? "…" : ev.timeoutMs / 1000 }, [...pre, change]);
        else push(ev.t, "blocked-other", { name: k.name, pid: ev.pid, what: blockReasonLabel(reason) }, [...pre, change]);
        break;
      }
      case "unblock": {
        if (!k || k.state === "stopped") break;
        const what = k.blockedOn ? blockReasonLabel(k.blockedOn) : ev.on;
        // The kernel's following `state: running` event lands in this frame.
        push(ev.t, "unblocked", { name: k.name, pid: ev.pid, what }, pre);
        break;
      }
      case "signal": {
        if (!k) break;
        const signal = signalName(ev.signal);
        const byProgram = ev.from !== 0 && ev.from !== INIT && ev.from !== ev.pid;
        const key: CaptionKey = ev.signal === 15 && byProgram ? "terminate" : ev.signal === 9 && byProgram ? "kill" : ev.signal === 9 || ev.signal === 15 ? "killed-external" : "signal";
        push(ev.t, key, { name: k.name, pid: ev.pid, signal, by: nameOf(ev.from), code: -ev.signal }, [...pre, { type: "signal", pid: ev.pid, from: ev.from, signal }]);
        break;
      }
      case "exit": {
        if (!k) break;
        k.state = "zombie";
        delete k.blockedOn;
        const exit: TraceEvent = { type: "exit", pid: ev.pid, code: ev.exitCode };
        const prev = last();
        // A fatal signal and the death it causes are one moment.
        if (prev && pre.length === 0 && prev.events.some((e) => e.type === "signal" && e.pid === ev.pid) && !prev.events.some((e) => e.type === "exit")) {
          prev.events.push(exit);
          break;
        }
        push(ev.t, k.ppid === INIT ? "exit-zombie" : "exit-zombie-parent-busy", { name: k.name, pid: ev.pid, code: ev.exitCode, parent: nameOf(k.ppid) }, [...pre, exit]);
        break;
      }
      case "reparent": {
        if (!k) break;
        const zombie = k.state === "zombie";
        if (zombie) adoptedZombies.add(ev.pid);
        k.ppid = ev.to;
        push(ev.t, zombie ? "zombie-adopted" : "orphaned", { name: k.name, pid: ev.pid, parent: nameOf(ev.from) }, [...pre, { type: "reparent", pid: ev.pid, from: ev.from, to: ev.to }]);
        break;
      }
      case "reap": {
        if (!k) break;
        k.state = "reaped";
        const reap: TraceEvent = { type: "reap", pid: ev.pid, by: ev.by };
        if (ev.by === INIT) push(ev.t, adoptedZombies.has(ev.pid) ? "init-reaps-at-once" : "init-reaps", { name: k.name, pid: ev.pid, code: ev.exitCode }, [...pre, reap]);
        else push(ev.t, "join-reap", { name: nameOf(ev.by), child: k.name, pid: ev.pid, code: ev.exitCode }, [...pre, reap]);
        break;
      }
    }
  }

  if (frames.length === 0) return { timeUnit: "ms", frames: [{ time: 0, events: initSpawn, caption: { key: "replay-empty", params: {} } }] };
  const everyoneReaped = [...known.entries()].every(([pid, k]) => pid === INIT || k.state === "reaped");
  if (everyoneReaped) frames.push({ time: last()?.time ?? 0, events: [], caption: { key: "end", params: {} } });
  return { timeUnit: "ms", frames };
}
