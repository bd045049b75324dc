/**
 * File locks, the worker's half (the kernel keeps the locks: lib/kernel/file-locks.ts). It
 * names what a descriptor locks: its file's absolute path and its open file description,
 * Emscripten's `stream.shared` (one object for a stream and its dup()s), numbered here. And it
 * makes close(2)'s releases: the last descriptor of a description that took a flock gives it
 * up, any descriptor of a file gives up the process's record locks on it. The process's exit
 * releases the rest in the kernel.
 */
import { resolvePath } from "@/lib/kernel";
import { mirrorBusy, syncForLock, type EmFS, type EmStream } from "./fs-mirror";
import { sched } from "./sched-gate";
import type { SyscallChannel } from "./syscall-channel";

interface LockFS extends EmFS {
  close(stream: EmStream): void;
}

interface LockState {
  readonly ids: WeakMap<object, number>;
  next: number;
  /** Descriptions that took a flock: number → the path it was taken on. */
  readonly flocked: Map<number, string>;
  /** Files this process took a record lock on. */
  readonly recorded: Set<string>;
}

const installed = new WeakMap<EmFS, LockState>();

/** Before each process (the state is per process; a recycled worker keeps its wrapper). A recycle's restore closes streams with FS.closeStream, past this. */
export function installFileLocks(FS: EmFS, channel: SyscallChannel): void {
  const before = installed.get(FS);
  if (before) {
    before.flocked.clear();
    before.recorded.clear();
    // Numbers go on counting: a stream the last process left open (the terminal's) keeps its own.
    return;
  }
  const state: LockState = { ids: new WeakMap(), next: 1, flocked: new Map(), recorded: new Set() };
  installed.set(FS, state);
  const fs = FS as LockFS;
  const origClose = fs.close.bind(fs);
  fs.close = (stream: EmStream): void => {
    // The file mirror reads and writes files through open and close of its own.
    if ((state.flocked.size === 0 && state.recorded.size === 0) || mirrorBusy(FS)) return origClose(stream);
    const id = stream.shared ? state.ids.get(stream.shared) : undefined;
    const flockPath = id !== undefined ? state.flocked.get(id) : undefined;
    const last = flockPath !== undefined && !FS.streams.some((st) => st != null && st !== stream && st.shared === stream.shared);
    const path = typeof stream.path === "string" ? resolvePath(FS.cwd(), stream.path) : null;
    const records = path !== null && state.recorded.has(path);
    if (!last && !records) return origClose(stream);
    // The file mirror writes the file back inside the close (the next holder reads it), and
    // what else this process changed goes too.
    origClose(stream);
    syncForLock(FS, false, false);
    if (last && id !== undefined) {
      state.flocked.delete(id);
      release("flock", flockPath, id);
    }
    if (records && path !== null) {
      state.recorded.delete(path);
      release("lockf", path, null);
    }
  };
  /**
   * The kernel releases a flock (`ofd`) or the record locks (null) on `path`. Controlled mode:
   * each release is a point on its lock, right before the kernel makes it (a waiter woken at
   * this process's next point finds it free). close() runs without the GIL.
   */
  const release = (kind: "flock" | "lockf", path: string, ofd: number | null): void => {
    if (sched.on) sched.point(`${kind}.close`, `${kind}:${path}`, "write", false);
    channel.call("file_lock_close", JSON.stringify({ path, ofd, records: ofd === null }), null);
  };
}

/**
 * What descriptor `fd` locks, for `_spawnpoint/file_locks.py`: "ofd\tflags\tpath" ("" when it
 * is no open file with a path: EBADF). `record`: a record lock (its close releases it), else
 * a flock (its description's last close does).
 */
export function lockTarget(FS: EmFS, fd: number, record: boolean): string {
  const state = installed.get(FS);
  const stream = FS.streams[fd];
  if (!state || !stream || typeof stream.path !== "string" || !stream.shared) return "";
  const path = resolvePath(FS.cwd(), stream.path);
  let id = state.ids.get(stream.shared);
  if (id === undefined) {
    id = state.next++;
    state.ids.set(stream.shared, id);
  }
  if (record) state.recorded.add(path);
  else state.flocked.set(id, path);
  return `${id}\t${stream.flags}\t${path}`;
}
