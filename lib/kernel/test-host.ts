/** A deterministic KernelHost for unit tests: manual clock and timers, recorded replies. */
import type { KernelHost, ProcessStart } from "./kernel";
import type { SyscallReply } from "./syscalls";

export class TestHost implements KernelHost {
  time = 0;
  readonly started = new Map<number, ProcessStart>();
  readonly ended: number[] = [];
  readonly replies = new Map<number, SyscallReply[]>();
  /** [pid, signal] for every signal written into a worker's interrupt word. */
  readonly interrupted: [number, number][] = [];
  /** The interrupt word of each pid (0: free), as the worker would see it. */
  readonly flagged = new Map<number, number>();
  private timers: { at: number; fn: () => void; live: boolean }[] = [];

  now(): number {
    return this.time;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const t = { at: this.time + ms, fn, live: true };
    this.timers.push(t);
    return () => {
      t.live = false;
    };
  }
  /** Advances the clock, firing due timers in order. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.live && t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) if (t.live) t.fn();
  }
  startProcess(pid: number, start: ProcessStart): void {
    this.started.set(pid, start);
  }
  endProcess(pid: number): void {
    this.ended.push(pid);
  }
  reply(pid: number, reply: SyscallReply): void {
    const list = this.replies.get(pid) ?? [];
    list.push(reply);
    this.replies.set(pid, list);
  }
  interrupt(pid: number, sig: number): boolean {
    if (this.flagged.get(pid)) return false;
    this.interrupted.push([pid, sig]);
    this.flagged.set(pid, sig);
    return true;
  }
  takeInterrupt(pid: number): number {
    const sig = this.flagged.get(pid) ?? 0;
    this.flagged.delete(pid);
    return sig;
  }
  /** The last reply `pid` got, removed from the record. */
  take(pid: number): SyscallReply | undefined {
    return this.replies.get(pid)?.pop();
  }
}
