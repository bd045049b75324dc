/** `ps` and `pstree`: the machine's process table, with CPU time counted from the kernel's state events. */
import type { KernelEvent, ProcessInfo } from "@/lib/kernel";
import type { MachinePort } from "@/lib/runtime/port";
import { formatPs, formatPstree, statLetter } from "./format";

export class ProcessView {
  /** Per pid: CPU time so far, and since when it has been running (null: not running now). */
  private readonly cpu = new Map<number, { total: number; since: number | null }>();

  constructor(
    private readonly m: MachinePort,
    /** What ps shows as CMD for a live process. */
    private readonly cmdOf: (p: ProcessInfo) => string,
  ) {}

  /** Feed every kernel event. */
  onEvent(e: KernelEvent): void {
    if (e.type === "spawn") this.cpu.set(e.pid, { total: 0, since: null });
    else if (e.type === "state") {
      const c = this.cpu.get(e.pid) ?? { total: 0, since: null };
      if (c.since !== null) c.total += e.t - c.since;
      // Only "running" uses the CPU: blocked (S), stopped (T) and starting (D) do not.
      c.since = e.state === "running" ? e.t : null;
      this.cpu.set(e.pid, c);
    } else if (e.type === "reap") this.cpu.delete(e.pid);
  }

  ps(write: (s: string) => void): number {
    const now = this.m.now();
    const rows = this.m
      .processes()
      .sort((a, b) => a.pid - b.pid)
      .map((p) => {
        const c = this.cpu.get(p.pid);
        const cpuMs = c ? c.total + (c.since !== null ? now - c.since : 0) : 0;
        const cmd = p.pid === 1 ? "init" : p.state === "zombie" ? "[python] <defunct>" : this.cmdOf(p);
        return { pid: p.pid, ppid: p.ppid, stat: statLetter(p.state), cpuMs, cmd };
      });
    write(formatPs(rows));
    return 0;
  }

  pstree(write: (s: string) => void): number {
    write(formatPstree(this.m.processes(), 1, (p) => `${p.pid === 1 ? "init" : "python"}(${p.pid})`));
    return 0;
  }
}
