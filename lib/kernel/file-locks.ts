/**
 * File locks between processes, as Linux keeps them. Two kinds that never interact:
 * - flock(2) (BSD) locks: whole-file, shared or exclusive, owned by an open file description
 *   (one `open()`: its dup'd descriptors share it, a second `open()` of the same file, even
 *   in the same process, is another owner and conflicts). Released by LOCK_UN, when the last
 *   descriptor of the description closes, and at the process's exit.
 * - fcntl(2) record locks (F_SETLK/F_SETLKW/F_GETLK, lockf(3)): byte ranges, read or write,
 *   owned by the process (its own never conflict; a new one replaces what it had in the
 *   range, same-type neighbours merge). Released by F_UNLCK, when the process closes ANY
 *   descriptor of the file, and at exit. A wait that would close a cycle of record-lock
 *   waiters fails with EDEADLK, as Linux's posix_locks_deadlock.
 *
 * A file is its absolute path in the kernel's fs (which has no inodes). An open file
 * description is `ofd`, a number its worker gives it (lib/runtime/worker/file-locks.ts):
 * descriptions are never shared between processes here (spawn passes no file descriptors),
 * so one is (pid, ofd). A blocked lock parks in the kernel on its file's WaitQueue, woken at
 * every release; signals and kills end the wait as any kernel wait's.
 */
import { KernelError } from "./errors";
import type { Kernel } from "./kernel";
import { argBool, argInt, argNum, argStr, type SyscallCall, type SyscallOutcome, type SyscallResult } from "./syscalls";
import { queueIn, WaitQueue } from "./wait-queue";

export type FlockMode = "sh" | "ex";
export type RecordType = "r" | "w";

interface Flock {
  readonly pid: number;
  readonly ofd: number;
  readonly mode: FlockMode;
}

/** A record lock on bytes [start, end] (end inclusive; Infinity: to the end of any file, as l_len 0). */
export interface RecordLock {
  readonly pid: number;
  readonly type: RecordType;
  readonly start: number;
  readonly end: number;
}

/** What a record-lock request covers. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The labels a blocked lock has in the event stream and a deadlock report. */
export const flockLabel = (path: string): string => `flock ${path}`;
export const recordLabel = (path: string): string => `lockf ${path}`;
const LABEL = /^(flock|lockf) (\/.*)$/;

/** Linux gives up looking for a cycle of record-lock waiters after this many hops (MAX_DEADLK_ITERATIONS). */
const MAX_DEADLOCK_HOPS = 10;

const overlaps = (a: Range, b: Range): boolean => a.start <= b.end && b.start <= a.end;

export class FileLocks {
  private readonly flocks = new Map<string, Flock[]>();
  private readonly records = new Map<string, RecordLock[]>();
  private readonly queues = new Map<string, WaitQueue>();
  /** What each process parked on a record lock asked for (EDEADLK looks along these). */
  private readonly recordWaits = new Map<number, { readonly path: string; readonly type: RecordType; readonly range: Range }>();

  /** `waiting(pid, label)`: whether `pid` still waits for that lock (a signal or kill may have ended its wait). */
  constructor(private readonly waiting: (pid: number, label: string) => boolean = () => true) {}

  private queue(path: string): WaitQueue {
    return queueIn(this.queues, path);
  }

  private released(path: string): void {
    const q = this.queues.get(path);
    if (!q) return;
    q.wakeAll();
    if (q.size === 0 && !this.flocks.has(path) && !this.records.has(path)) this.queues.delete(path);
  }

  // ── flock ──────────────────────────────────────────────────────────────────

  /** flock(2) for description `ofd` of `pid`: LOCK_SH, LOCK_EX, or LOCK_UN (`mode` null). */
  flock(pid: number, path: string, ofd: number, mode: FlockMode | null, nonblocking: boolean): SyscallOutcome {
    const list = this.flocks.get(path) ?? [];
    const i = list.findIndex((l) => l.pid === pid && l.ofd === ofd);
    if (i >= 0) {
      if (list[i].mode === mode) return { value: null };
      // Linux drops the old lock before it tries the new one: a conversion that has to wait
      // (or fails with LOCK_NB) lets others in meanwhile, and holds nothing then.
      this.setFlocks(path, list.filter((_, k) => k !== i));
      this.released(path);
    }
    if (mode === null) return { value: null };
    const take = (): SyscallResult | undefined => {
      const now = this.flocks.get(path) ?? [];
      if (now.some((l) => !(l.pid === pid && l.ofd === ofd) && (mode === "ex" || l.mode === "ex"))) return undefined;
      this.setFlocks(path, [...now.filter((l) => !(l.pid === pid && l.ofd === ofd)), { pid, ofd, mode }]);
      return { value: null };
    };
    const got = take();
    if (got) return got;
    if (nonblocking) throw KernelError.os("EAGAIN");
    return { block: { on: "lock", object: flockLabel(path), timeoutMs: null, queues: [this.queue(path)], check: take, onTimeout: () => ({ value: null }) } };
  }

  private setFlocks(path: string, list: Flock[]): void {
    if (list.length === 0) this.flocks.delete(path);
    else this.flocks.set(path, list);
  }

  // ── record locks ───────────────────────────────────────────────────────────

  /**
   * F_SETLK (`wait` false) / F_SETLKW: `type` null unlocks the range. With `park` false a wait
   * is refused with EAGAIN but still noted (EDEADLK looks along it): a controlled process
   * waits at its scheduler instead, under the same label.
   */
  setRecord(pid: number, path: string, type: RecordType | null, range: Range, wait: boolean, park = true): SyscallOutcome {
    if (type === null) {
      this.setRecords(path, this.carve(this.records.get(path) ?? [], pid, range));
      this.released(path);
      return { value: null };
    }
    const take = (): SyscallResult | undefined => {
      if (this.conflict(pid, path, type, range)) return undefined;
      this.recordWaits.delete(pid);
      this.place(pid, path, type, range);
      return { value: null };
    };
    const got = take();
    if (got) {
      // A write lock turned into a read lock lets readers in.
      if (type === "r") this.released(path);
      return got;
    }
    if (!wait) throw KernelError.os("EAGAIN");
    if (this.wouldDeadlock(pid, path, type, range)) throw KernelError.os("EDEADLK");
    this.recordWaits.set(pid, { path, type, range });
    if (!park) throw KernelError.os("EAGAIN");
    return { block: { on: "lock", object: recordLabel(path), timeoutMs: null, queues: [this.queue(path)], check: take, onTimeout: () => ({ value: null }) } };
  }

  /** F_GETLK: the first lock of another process that would stop this one, or null (F_UNLCK). */
  getRecord(pid: number, path: string, type: RecordType, range: Range): RecordLock | null {
    return this.conflict(pid, path, type, range) ?? null;
  }

  private conflict(pid: number, path: string, type: RecordType, range: Range): RecordLock | undefined {
    return (this.records.get(path) ?? []).find((l) => l.pid !== pid && overlaps(l, range) && (type === "w" || l.type === "w"));
  }

  /** `locks` without `pid`'s in `range` (its locks that stick out of it are cut to what is left). */
  private carve(locks: readonly RecordLock[], pid: number, range: Range): RecordLock[] {
    const out: RecordLock[] = [];
    for (const l of locks) {
      if (l.pid !== pid || !overlaps(l, range)) {
        out.push(l);
        continue;
      }
      if (l.start < range.start) out.push({ ...l, end: range.start - 1 });
      if (l.end > range.end) out.push({ ...l, start: range.end + 1 });
    }
    return out;
  }

  /** `pid`'s locks in `range` become one lock of `type`, merged with its same-type locks it touches. */
  private place(pid: number, path: string, type: RecordType, range: Range): void {
    let start = range.start;
    let end = range.end;
    const rest: RecordLock[] = [];
    for (const l of this.carve(this.records.get(path) ?? [], pid, range)) {
      const touches = l.pid === pid && l.type === type && l.start <= end + 1 && start <= l.end + 1;
      if (!touches) {
        rest.push(l);
        continue;
      }
      start = Math.min(start, l.start);
      end = Math.max(end, l.end);
    }
    rest.push({ pid, type, start, end });
    this.setRecords(path, rest.sort((a, b) => a.pid - b.pid || a.start - b.start));
  }

  private setRecords(path: string, list: RecordLock[]): void {
    if (list.length === 0) this.records.delete(path);
    else this.records.set(path, list);
  }

  /** Whether `pid` waiting for this lock would close a cycle: its blocker waits (through others) for a lock `pid` holds. */
  private wouldDeadlock(pid: number, path: string, type: RecordType, range: Range): boolean {
    let want = { path, type, range };
    let asker = pid;
    for (let hop = 0; hop < MAX_DEADLOCK_HOPS; hop++) {
      const blocker = this.conflict(asker, want.path, want.type, want.range);
      if (!blocker) return false;
      if (blocker.pid === pid) return true;
      const next = this.recordWaits.get(blocker.pid);
      if (!next || !this.waiting(blocker.pid, recordLabel(next.path))) return false;
      asker = blocker.pid;
      want = next;
    }
    return false;
  }

  // ── releases ───────────────────────────────────────────────────────────────

  /**
   * `pid` closed a descriptor of `path`: with `ofd` (the description's last descriptor) that
   * description's flock goes; with `records`, the process's record locks on the file (any
   * close releases them; the worker asks when it has taken some, as a release of its own).
   */
  closed(pid: number, path: string, ofd: number | null, records: boolean): void {
    if (ofd !== null) {
      const list = this.flocks.get(path) ?? [];
      this.setFlocks(path, list.filter((l) => !(l.pid === pid && l.ofd === ofd)));
    }
    if (records) this.setRecords(path, (this.records.get(path) ?? []).filter((l) => l.pid !== pid));
    this.released(path);
  }

  /** `pid` exited: every lock it held goes. Returns the scheduling objects that changed (`flock:P`, `lockf:P`). */
  exited(pid: number): string[] {
    this.recordWaits.delete(pid);
    const changed: string[] = [];
    for (const [path, list] of [...this.flocks]) {
      if (!list.some((l) => l.pid === pid)) continue;
      this.setFlocks(path, list.filter((l) => l.pid !== pid));
      changed.push(`flock:${path}`);
      this.released(path);
    }
    for (const [path, list] of [...this.records]) {
      if (!list.some((l) => l.pid === pid)) continue;
      this.setRecords(path, list.filter((l) => l.pid !== pid));
      changed.push(`lockf:${path}`);
      this.released(path);
    }
    return changed;
  }

  // ── diagnosis ──────────────────────────────────────────────────────────────

  /**
   * Who holds the lock a blocked process waits for, from its label (`flock /home/user/x.lock`):
   * another process holding one on the file, else the waiter itself (two descriptions of its
   * own conflict); undefined for labels that are not file locks.
   */
  holderOf(label: string, waiter: number): { path: string; holder: number | null } | undefined {
    const m = LABEL.exec(label);
    if (!m) return undefined;
    const path = m[2];
    const owners = (m[1] === "flock" ? (this.flocks.get(path) ?? []) : (this.records.get(path) ?? [])).map((l) => l.pid);
    const other = owners.find((p) => p !== waiter);
    return { path, holder: other ?? (owners.includes(waiter) ? waiter : null) };
  }

  /** Locks held now (tests and diagnosis): flocks and record locks of `path`. */
  held(path: string): { flocks: readonly Flock[]; records: readonly RecordLock[] } {
    return { flocks: this.flocks.get(path) ?? [], records: this.records.get(path) ?? [] };
  }
}

/** A record lock's range from the call's start and len (already absolute: the worker resolved l_whence), as Linux checks it. */
function rangeOf(start: number, len: number): Range {
  if (start < 0) throw KernelError.os("EINVAL");
  if (len > 0) return { start, end: start + len - 1 };
  if (len === 0) return { start, end: Infinity };
  // A negative length covers the bytes before start.
  if (start + len < 0) throw KernelError.os("EINVAL");
  return { start: start + len, end: start - 1 };
}

function recordType(v: string): RecordType | null {
  if (v === "r" || v === "w") return v;
  if (v === "u") return null;
  throw KernelError.os("EINVAL");
}

export function registerFileLockSyscalls(kernel: Kernel, locks: FileLocks): void {
  kernel.onProcessExit((pid) => {
    const changed = locks.exited(pid);
    if (changed.length > 0) kernel.onRelease?.(pid, changed);
  });
  kernel.deadlocks.holders.push((label, waiter) => {
    const h = locks.holderOf(label, waiter);
    return h && { kind: "file", holder: h.holder };
  });
  kernel.syscalls.register("file-locks", {
    /** flock(2): path, ofd, op "sh" | "ex" | "un", nb. */
    file_flock({ pid, args }: SyscallCall): SyscallOutcome {
      const op = argStr(args, "op");
      if (op !== "sh" && op !== "ex" && op !== "un") throw KernelError.os("EINVAL");
      return locks.flock(pid, argStr(args, "path"), argInt(args, "ofd"), op === "un" ? null : op, argBool(args, "nb"));
    },
    /** F_SETLK / F_SETLKW: path, type "r" | "w" | "u", start (absolute), len, wait, park (false: EAGAIN instead of a wait). */
    file_setlk({ pid, args }: SyscallCall): SyscallOutcome {
      const range = rangeOf(argNum(args, "start"), argNum(args, "len"));
      return locks.setRecord(pid, argStr(args, "path"), recordType(argStr(args, "type")), range, argBool(args, "wait"), args.park !== false);
    },
    /** F_GETLK: null, or the conflicting lock as [type, start, len (0: to the end), pid]. */
    file_getlk({ pid, args }: SyscallCall): SyscallOutcome {
      const type = recordType(argStr(args, "type"));
      if (type === null) throw KernelError.os("EINVAL");
      const l = locks.getRecord(pid, argStr(args, "path"), type, rangeOf(argNum(args, "start"), argNum(args, "len")));
      return { value: l && [l.type, l.start, l.end === Infinity ? 0 : l.end - l.start + 1, l.pid] };
    },
    /** A descriptor of `path` closed: `ofd` when it was its description's last, `records` to release the record locks (lib/runtime/worker/file-locks.ts). */
    file_lock_close({ pid, args }: SyscallCall): SyscallOutcome {
      locks.closed(pid, argStr(args, "path"), typeof args.ofd === "number" ? args.ofd : null, argBool(args, "records"));
      return { value: null };
    },
  });
}
