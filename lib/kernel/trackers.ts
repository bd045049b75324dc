/**
 * multiprocessing's resource tracker, in the kernel. CPython starts one tracker process per
 * interpreter tree (a `python3` and the multiprocessing children that inherit its tracker; a
 * `subprocess` of python3 starts its own); SharedMemory registers its name there and unlink()
 * unregisters it. When every process of the tree has ended (even killed), the tracker warns
 * on its stderr, "resource_tracker: There appear to be N leaked shared_memory objects to
 * clean up at shutdown", and unlinks what is left. A tracker here is the set of names of one
 * tree (keyed by its root's pid); it ends when the root and every process that used it have
 * exited. Its stderr is the one of the process that first registered: the program's terminal,
 * or a subprocess pipe (held open until the warning is written, as the tracker process holds
 * its copy of the descriptor).
 */
import { KernelError } from "./errors";
import type { Kernel } from "./kernel";
import type { PipeTable } from "./pipes";
import type { ShmTable } from "./shm";
import { argInt, argStr, type SyscallCall, type SyscallOutcome } from "./syscalls";

interface Tracker {
  readonly root: number;
  readonly members: Set<number>;
  readonly names: Set<string>;
  /** A pipe handle the tracker writes its warning to, null for the terminal, undefined for none. */
  readonly stderr: number | null | undefined;
  /** Where the warning says it comes from, as Python's warnings show it (see WarningAt). */
  warningAt?: WarningAt;
}

/**
 * What the stdlib's resource_tracker.py would show of its warning, told by the first process
 * that registers: `where` its "file:line" of the warnings.warn call, `source` that line, and
 * `names` whether the message ends with the leaked names (Python 3.13 on).
 */
export interface WarningAt {
  where: string;
  source: string;
  names: boolean;
}

/** Python's repr() of a str, for the plain names shared memory has. */
const pyRepr = (s: string): string =>
  s.includes("'") && !s.includes('"') ? `"${s.replace(/\\/g, "\\\\")}"` : `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The tracker's warning as Python's warnings module prints it (its old form when not told where). */
export function leakWarning(names: readonly string[], at: WarningAt | undefined): string {
  const message = `resource_tracker: There appear to be ${names.length} leaked shared_memory objects to clean up at shutdown`;
  if (!at) return `UserWarning: ${message}\n`;
  const listed = at.names ? `: {${names.map(pyRepr).join(", ")}}` : "";
  return `${at.where}: UserWarning: ${message}${listed}\n  ${at.source}\n`;
}

/** The warning's bytes (ASCII text; the kernel has no TextEncoder). */
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f);

/** A holder id for a tracker's hold on its stderr pipe (pids are positive). */
const holderOf = (root: number): number => -root;

export class ResourceTrackers {
  private readonly byRoot = new Map<number, Tracker>();
  /** Where a terminal tracker's warning goes (the machine shows it as the root's stderr). */
  terminalStderr: ((pid: number, text: string) => void) | null = null;

  constructor(
    private readonly kernel: Kernel,
    private readonly shm: ShmTable,
    private readonly pipes: PipeTable,
  ) {
    kernel.onProcessExit((pid) => {
      for (const t of [...this.byRoot.values()]) if (t.members.has(pid)) this.maybeEnd(t);
    });
  }

  private tracker(pid: number, root: number, stderr: number | null | undefined): Tracker {
    const entry = this.kernel.table.get(root);
    if (root !== pid && (this.kernel.programOf(root) !== this.kernel.programOf(pid) || !entry)) throw KernelError.os("EPERM");
    let t = this.byRoot.get(root);
    if (!t) {
      if (typeof stderr === "number") this.kernel.handles.attach(stderr, holderOf(root));
      t = { root, members: new Set([root]), names: new Set(), stderr };
      this.byRoot.set(root, t);
    }
    t.members.add(pid);
    return t;
  }

  register(pid: number, root: number, name: string, stderr: number | null | undefined, warningAt?: WarningAt): void {
    const t = this.tracker(pid, root, stderr);
    t.names.add(name);
    t.warningAt ??= warningAt;
  }

  unregister(pid: number, root: number, name: string): void {
    this.tracker(pid, root, undefined).names.delete(name);
  }

  private maybeEnd(t: Tracker): void {
    for (const m of t.members) {
      const e = this.kernel.table.get(m);
      if (e && e.state !== "zombie") return;
    }
    this.byRoot.delete(t.root);
    if (t.names.size > 0) {
      const text = leakWarning([...t.names], t.warningAt);
      if (t.stderr === null) this.terminalStderr?.(t.root, text);
      else if (t.stderr !== undefined) this.pipes.write(t.stderr, ascii(text));
      for (const name of t.names) {
        try {
          this.shm.unlink(name);
        } catch {
          // Already gone (unlinked without unregistering): CPython's tracker warns and goes on.
        }
      }
    }
    if (typeof t.stderr === "number") this.kernel.handles.release(t.stderr, holderOf(t.root));
  }
}

export function registerTrackerSyscalls(kernel: Kernel, trackers: ResourceTrackers): void {
  kernel.syscalls.register("trackers", {
    /** args: root (the tree's first process), name, stderr (a pipe handle the caller holds, or -1: the terminal, -2: none), and optionally where, source, names (WarningAt). */
    tracker_register({ pid, args }: SyscallCall): SyscallOutcome {
      const stderr = argInt(args, "stderr");
      if (stderr >= 0 && !kernel.handles.holders(stderr).includes(pid)) throw KernelError.os("EBADF");
      const at = typeof args.where === "string" && typeof args.source === "string" ? { where: args.where, source: args.source, names: args.names === true } : undefined;
      trackers.register(pid, argInt(args, "root"), argStr(args, "name"), stderr >= 0 ? stderr : stderr === -1 ? null : undefined, at);
      return { value: null };
    },
    tracker_unregister({ pid, args }: SyscallCall): SyscallOutcome {
      trackers.unregister(pid, argInt(args, "root"), argStr(args, "name"));
      return { value: null };
    },
  });
}
