/**
 * Each worker has its own Emscripten file system; the kernel's fs is the shared one. This
 * keeps the worker's copy of shared paths (/home, /tmp) in step with the kernel's at open,
 * stat, close, unlink, rename and the process's exit, so processes see each other's files
 * as on Linux.
 * Everything else (the stdlib, the runtime) stays local.
 */
import { resolvePath } from "@/lib/kernel";
import { sched } from "./sched-gate";
import type { SyscallChannel } from "./syscall-channel";

/** The slice of Emscripten's FS this worker uses (Pyodide's FS type is loose). */
export interface EmFS {
  open(path: string, flags: number | string, mode?: number): unknown;
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  mkdirTree(path: string): void;
  mkdir(path: string, mode?: number): unknown;
  rmdir(path: string): void;
  unlink(path: string): void;
  rename(oldPath: string, newPath: string): void;
  write(stream: EmStream, buffer: Int8Array | Uint8Array, offset: number, length: number, position?: number, canOwn?: boolean): number;
  /** Open streams by descriptor (closed ones are null). */
  streams: (EmStream | null | undefined)[];
  /** `path` is a node object when it comes from ftruncate. */
  truncate(path: unknown, len: number): void;
  readdir(path: string): string[];
  stat(path: string, dontFollow?: boolean): { mode: number };
  isDir(mode: number): boolean;
  analyzePath(path: string): { exists: boolean };
  cwd(): string;
  chdir(path: string): void;
  ErrnoError: new (errno: number) => Error;
  trackingDelegate: {
    onWriteToFile?: (path: string, n: number) => void;
    onCloseFile?: (path: string) => void;
    onDeletePath?: (path: string) => void;
    onMovePath?: (oldPath: string, newPath: string) => void;
  };
}

/** An open file of Emscripten's FS. */
export interface EmStream {
  readonly path?: string;
  readonly flags: number;
  /** The open file description: one object for a stream and its dup()s (Emscripten's FSStream). */
  readonly shared?: object;
}

/** Paths shared through the kernel's file system; everything else (the stdlib) stays local. */
export const SHARED_ROOTS = ["/home/", "/tmp/"];
const O_ACCMODE = 3;
const O_APPEND = 0o2000;
const O_TRUNC = 0o1000;

/** The kernel's (Linux) errno → Emscripten's, for errors a close raises: the quota's EFBIG and ENOSPC. */
const EM_ERRNO: Record<number, number> = { 27: 22, 28: 51 };
const EM_EIO = 29;

/** The Emscripten errno for a failed kernel call's reply (KernelErrorData JSON). */
function emErrno(replyJson: string): number {
  try {
    const e = JSON.parse(replyJson) as { errno?: number | null };
    return (typeof e.errno === "number" ? EM_ERRNO[e.errno] : undefined) ?? EM_EIO;
  } catch {
    return EM_EIO;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The process's file mode creation mask (umask(2)): Emscripten's FS has none (its umask call
 * did nothing), so open and mkdir apply it here. A process starts with its parent's
 * (`_spawnpoint.main` sets it), the program's main process with a login's, 022.
 */
const DEFAULT_UMASK = 0o022;
let umask = DEFAULT_UMASK;

/** Sets the mask and returns the old one (os.umask); a negative `mask` only reads it. */
export function setUmask(mask: number): number {
  const old = umask;
  if (mask >= 0) umask = mask & 0o777;
  return old;
}

/** Per worker: the paths its process has open for writing (a recycled worker's next process starts with none). */
const mirrored = new WeakMap<
  EmFS,
  {
    written: Set<string>;
    fresh: Set<string>;
    kernelDirs: Set<string>;
    /** Shared files this process changed (wrote, truncated at open, created) since their last write-back. */
    dirty: Set<string>;
    freshTurn: number;
    paused: boolean;
    channel: SyscallChannel;
    lockSync: (acquired: boolean, frames: boolean) => void;
    /** The mirror itself is reading or writing this worker's files (its opens and closes are no program's). */
    busy: () => boolean;
  }
>();

/** The mirror's per-process state (a checkpoint keeps it, see ./checkpoint.ts). */
export interface MirrorState {
  readonly written: readonly string[];
  readonly fresh: readonly string[];
  readonly freshTurn: number;
  readonly dirty?: readonly string[];
}

export function saveMirrorState(FS: EmFS): MirrorState | null {
  const state = mirrored.get(FS);
  return state ? { written: [...state.written], fresh: [...state.fresh], freshTurn: state.freshTurn, dirty: [...state.dirty] } : null;
}

/** Puts back what saveMirrorState returned (the mirror is installed for this process). */
export function restoreMirrorState(FS: EmFS, saved: MirrorState): void {
  const state = mirrored.get(FS);
  if (!state) throw new Error("the file mirror is not installed");
  state.written.clear();
  for (const p of saved.written) state.written.add(p);
  state.fresh.clear();
  for (const p of saved.fresh) state.fresh.add(p);
  state.freshTurn = saved.freshTurn;
  state.dirty.clear();
  for (const p of saved.dirty ?? []) state.dirty.add(p);
}

/**
 * A file lock (./file-locks.ts) is a point where Linux's processes see each other's writes at
 * once, where this worker's copies meet the kernel's only at open and close: before a lock
 * operation (`acquired` false) the shared files this process changed go to the kernel, so the
 * next holder reads them; once a lock is taken (`acquired` true) the shared files it has open
 * and did not change are read again, so it sees what the last holder wrote (a counter file
 * opened before its lock was taken, then read under it).
 */
/** Whether the mirror is at work on this worker's files now: a close then is its own, not the program's. */
export function mirrorBusy(FS: EmFS): boolean {
  return mirrored.get(FS)?.busy() ?? false;
}

/** `frames` false: called where Python has released the GIL (a close), see SchedGate.point. */
export function syncForLock(FS: EmFS, acquired: boolean, frames = true): void {
  const state = mirrored.get(FS);
  if (state && !state.paused) state.lockSync(acquired, frames);
}

/**
 * The process is ending: Linux closes every fd it left open, so what it wrote to shared
 * files that it never closed (os.open without os.close, a file object never closed) reaches
 * the kernel's fs now. A quota's refusal is dropped, as the close of an exiting process's
 * fd reports nothing.
 */
export function syncOpenFiles(FS: EmFS): void {
  const state = mirrored.get(FS);
  if (!state || state.paused) return;
  for (const p of state.written) {
    try {
      if (!FS.analyzePath(p).exists || FS.isDir(FS.stat(p, true).mode)) continue;
      // Unlinked by another process meanwhile: its last close frees it (see goneFromKernel).
      if (state.channel.call("fs_stat", JSON.stringify({ path: p }), null) === 1 && JSON.parse(state.channel.replyJson) === null) continue;
      state.channel.call("fs_write", JSON.stringify({ path: p }), FS.readFile(p));
    } catch {
      // Gone or unreadable: nothing to keep.
    }
  }
  state.written.clear();
}

/** Runs `fn` with the mirror off: what it changes stays in this worker (a recycle's restore, ./recycle.ts). */
export function withoutMirror<T>(FS: EmFS, fn: () => T): T {
  const state = mirrored.get(FS);
  if (!state) return fn();
  state.paused = true;
  try {
    return fn();
  } finally {
    state.paused = false;
  }
}

/** Keeps the worker's files in step with the kernel's shared fs at open / close / unlink; once per worker. */
export function installFsMirror(FS: EmFS, channel: SyscallChannel): void {
  umask = DEFAULT_UMASK;
  const before = mirrored.get(FS);
  if (before) {
    before.written.clear();
    before.fresh.clear();
    before.kernelDirs.clear();
    before.dirty.clear();
    before.freshTurn = 0;
    return;
  }
  const origOpen = FS.open.bind(FS);
  const state = {
    written: new Set<string>(),
    fresh: new Set<string>(),
    kernelDirs: new Set<string>(),
    dirty: new Set<string>(),
    freshTurn: 0,
    paused: false,
    channel,
    lockSync: (acquired: boolean, frames: boolean): void => (acquired ? pullOpenFiles(frames) : pushChanged(frames)),
    busy: (): boolean => syncing || state.paused,
  };
  const written = state.written;
  const dirty = state.dirty;
  /** Shared directories the kernel's fs has had (seen there, or made here and mirrored): one it no longer has was removed by another process. */
  const kernelDirs = state.kernelDirs;
  mirrored.set(FS, state);
  let syncing = false;
  // Controlled mode: paths synced in this turn (see sched.turn). The runtime looks at the
  // script and the files of a turn several times (spawn's prepare stats and opens the main
  // script four times): one kernel round trip each is enough.
  // Emptied for each process (a recycled worker's next one starts again at turn 0).
  const fresh = state.fresh;
  const isFresh = (p: string): boolean => {
    if (!sched.on || sched.turn === 0) return false;
    if (state.freshTurn !== sched.turn) {
      fresh.clear();
      state.freshTurn = sched.turn;
    }
    return fresh.has(p);
  };
  const abs = (p: string): string => resolvePath(FS.cwd(), p);
  const parentOf = (p: string): string => p.slice(0, p.lastIndexOf("/")) || "/";
  const shared = (p: string): boolean => SHARED_ROOTS.some((r) => p.startsWith(r));
  const origStat = FS.stat.bind(FS);
  const isLocalDir = (p: string): boolean => FS.analyzePath(p).exists && FS.isDir(origStat(p, true).mode);
  /**
   * Brings this worker's copy of shared path `p` up to date with the kernel's fs (open,
   * stat, listdir): a file's bytes (rewritten only when they differ, so mtimes stay put),
   * a directory's entries (new files appear as empty placeholders that the next open or
   * stat fills; files another process deleted go), a file deleted elsewhere. Files this
   * process has open for writing are its own; directories it made itself are kept.
   */
  /** Removes this worker's copy of a directory another process removed; kept whole if it holds a file this process has open for writing (its own). */
  const removeLocalTree = (p: string): boolean => {
    for (const name of FS.readdir(p)) {
      if (name === "." || name === "..") continue;
      const child = `${p}/${name}`;
      if (isLocalDir(child)) {
        if (!removeLocalTree(child)) return false;
      } else if (written.has(child)) return false;
      else FS.unlink(child);
    }
    FS.rmdir(p);
    kernelDirs.delete(p);
    return true;
  };
  const syncFromKernel = (p: string): void => {
    if (isFresh(p)) return;
    syncing = true;
    try {
      if (channel.call("fs_lookup", JSON.stringify({ path: p }), null) !== 1) return;
      if (sched.on && sched.turn > 0 && sched.turn === state.freshTurn) fresh.add(p);
      const info = JSON.parse(channel.replyJson) as { kind: "file" | "dir" | null; entries?: [string, "file" | "dir"][] };
      const bytes = channel.replyBytes;
      const exists = FS.analyzePath(p).exists;
      if (info.kind === "file" && bytes) {
        if (exists && isLocalDir(p)) return;
        FS.mkdirTree(parentOf(p));
        if (!exists || !sameBytes(FS.readFile(p), bytes)) FS.writeFile(p, bytes);
      } else if (info.kind === null) {
        // Deleted by another process: a file, or a directory the kernel had (not this worker's own).
        if (exists && !isLocalDir(p)) FS.unlink(p);
        else if (exists && kernelDirs.has(p)) removeLocalTree(p);
      } else if (info.kind === "dir") {
        FS.mkdirTree(p);
        kernelDirs.add(p);
        const there = new Set<string>();
        for (const [name, kind] of info.entries ?? []) {
          there.add(name);
          const child = `${p}/${name}`;
          if (kind === "dir") kernelDirs.add(child);
          if (FS.analyzePath(child).exists) continue;
          if (kind === "dir") FS.mkdirTree(child);
          else FS.writeFile(child, new Uint8Array(0));
        }
        for (const name of FS.readdir(p)) {
          const child = `${p}/${name}`;
          if (name === "." || name === ".." || there.has(name) || written.has(child)) continue;
          if (!isLocalDir(child)) FS.unlink(child);
          else if (kernelDirs.has(child)) removeLocalTree(child);
        }
      }
    } catch {
      // Special files are not mirrored; let the real call decide.
    } finally {
      syncing = false;
    }
  };
  FS.open = (path: string, flags: number | string, mode?: number): unknown => {
    // The mode of a file this open makes (Emscripten's default 0666, as C's fopen asks), less
    // the umask; not a start file's (the mirror is off: a fresh worker's are 0666 too).
    if (!state.paused) mode = (mode ?? 0o666) & ~umask;
    if (!syncing && !state.paused && typeof path === "string") {
      const p = abs(path);
      // Controlled mode: what crosses between processes does so at open and close, so those
      // are the file's scheduling points (reads and writes in between touch this copy only).
      // An open with no place in the program's code (an import, the runtime reading the
      // script) is the runtime's, not a point.
      if (sched.on && shared(p) && sched.hint) sched.point("file.open", `file:${p}`, typeof flags === "number" && (flags & O_ACCMODE) !== 0 ? "write" : "read", false);
      if (shared(p) && !written.has(p)) syncFromKernel(p);
      else if (shared(p)) goneFromKernel(p);
      // Truncated or made by this open: the kernel's copy is too, at once, as on Linux (another
      // process sees the new empty file, and a child can open or unlink it before the close).
      const emptied = shared(p) && typeof flags === "number" && (flags & O_ACCMODE) !== 0 && (flags & O_APPEND) === 0 && ((flags & O_TRUNC) !== 0 || !FS.analyzePath(p).exists);
      // A file opened to append is not this process's to write back whole: each write goes
      // to the end of the kernel's copy (FS.write below), as O_APPEND writes do on Linux.
      if (shared(p) && typeof flags === "number" && (flags & O_ACCMODE) !== 0 && (flags & O_APPEND) === 0) written.add(p);
      if (emptied) {
        const stream = origOpen(path, flags, mode);
        writeToKernel(p);
        return stream;
      }
      if (shared(p) && typeof flags === "number" && (flags & O_APPEND) !== 0 && !written.has(p)) {
        const stream = origOpen(path, flags, mode);
        // Made by this open (O_CREAT): the kernel's fs has it at once, as others would see it on Linux.
        appendToKernel(p, new Uint8Array(0));
        return stream;
      }
    }
    return origOpen(path, flags, mode);
  };
  /**
   * `fs_write` (the whole file) or `fs_append` (bytes at its end) to the kernel's copy of `p`.
   * `bytes` is read with the mirror off (reading this worker's copy opens and closes it).
   */
  const toKernel = (op: "fs_write" | "fs_append", p: string, bytes: () => Uint8Array): void => {
    fresh.clear();
    syncing = true;
    let ok = 1;
    try {
      ok = channel.call(op, JSON.stringify({ path: p }), bytes());
    } finally {
      syncing = false;
    }
    // A quota refused it (EFBIG / ENOSPC): the call reports it, as a full disk does.
    if (ok !== 1) throw new FS.ErrnoError(emErrno(channel.replyJson));
  };
  const appendToKernel = (p: string, bytes: Uint8Array): void => toKernel("fs_append", p, () => bytes);
  const origWrite = FS.write.bind(FS);
  FS.write = (stream: EmStream, buffer: Int8Array | Uint8Array, offset: number, length: number, position?: number, canOwn?: boolean): number => {
    const n = origWrite(stream, buffer, offset, length, position, canOwn);
    // A stream's path is absolute (Emscripten's FS.getPath): most writes (the terminal's) stop at the prefix test.
    if (n > 0 && typeof stream.path === "string" && shared(stream.path) && !syncing && !state.paused) {
      const p = abs(stream.path);
      // The buffer is the interpreter's HEAP8 (an Int8Array): its bytes, copied.
      if ((stream.flags & O_APPEND) !== 0 && shared(p) && !written.has(p)) appendToKernel(p, new Uint8Array(buffer.buffer, buffer.byteOffset + offset, n).slice());
      else if (shared(p)) dirty.add(p);
    }
    return n;
  };
  /** Whether this process still has `p` open for writing (another descriptor than the one just closed). */
  const openForWriting = (p: string): boolean => FS.streams.some((st) => st != null && typeof st.path === "string" && (st.flags & O_ACCMODE) !== 0 && (st.flags & O_APPEND) === 0 && abs(st.path) === p);
  // unlink, rename and rmdir of a shared path another process made: this worker's copy learns of it first.
  const beforeChange = (path: unknown): void => {
    if (typeof path !== "string" || syncing || state.paused) return;
    const p = abs(path);
    if (!shared(p)) return;
    const dir = parentOf(p);
    if (shared(`${dir}/`) && !FS.analyzePath(dir).exists) syncFromKernel(dir);
    if (!written.has(p)) syncFromKernel(p);
  };
  const origUnlink = FS.unlink.bind(FS);
  FS.unlink = (path: string): void => {
    beforeChange(path);
    origUnlink(path);
  };
  const origRmdir = FS.rmdir.bind(FS);
  FS.rmdir = (path: string): void => {
    beforeChange(path);
    origRmdir(path);
  };
  const origRename = FS.rename.bind(FS);
  FS.rename = (oldPath: string, newPath: string): void => {
    beforeChange(oldPath);
    if (typeof newPath === "string" && !syncing && !state.paused) {
      const dir = parentOf(abs(newPath));
      if (shared(`${dir}/`)) syncFromKernel(dir);
    }
    origRename(oldPath, newPath);
  };
  // os.stat / os.path.exists / lstat (Emscripten's lstat calls stat(path, true)).
  FS.stat = (path: string, dontFollow?: boolean): { mode: number } => {
    if (!syncing && !state.paused && typeof path === "string") {
      const p = abs(path);
      if (shared(p) && !written.has(p)) syncFromKernel(p);
      else if (shared(p)) goneFromKernel(p);
    }
    return origStat(path, dontFollow);
  };
  // os.mkdir of a shared path is mirrored to the kernel (_spawnpoint/process_os.py): remember it.
  const origMkdir = FS.mkdir.bind(FS);
  FS.mkdir = (path: string, mode?: number): unknown => {
    const made = origMkdir(path, state.paused ? mode : (mode ?? 0o777) & ~umask);
    if (typeof path === "string" && !syncing && !state.paused) {
      const p = abs(path);
      if (shared(p)) kernelDirs.add(p);
    }
    return made;
  };
  /** This worker's copy of shared file `p` becomes the kernel's. */
  const writeToKernel = (p: string): void => {
    dirty.delete(p);
    toKernel("fs_write", p, () => FS.readFile(p));
  };
  /** syncForLock(false): what this process changed reaches the kernel (a write point each, as a close's). */
  const pushChanged = (frames: boolean): void => {
    for (const p of [...dirty]) {
      if (!FS.analyzePath(p).exists || isLocalDir(p)) {
        dirty.delete(p);
        continue;
      }
      if (sched.on) sched.point("file.sync", `file:${p}`, "write", frames);
      writeToKernel(p);
    }
  };
  /** syncForLock(true): the shared files this process has open and did not change are read again (a read point each, as an open's). */
  const pullOpenFiles = (frames: boolean): void => {
    const open = new Set<string>();
    for (const st of FS.streams) if (st != null && typeof st.path === "string") open.add(abs(st.path));
    for (const p of open) {
      if (!shared(p) || dirty.has(p) || isLocalDir(p)) continue;
      if (sched.on) sched.point("file.open", `file:${p}`, "read", frames);
      syncFromKernel(p);
    }
  };
  FS.trackingDelegate.onCloseFile = (path: string) => {
    const p = abs(path);
    if (syncing || state.paused || !written.has(p)) return;
    if (sched.on) sched.point("file.close", `file:${p}`, "write", false);
    // Another descriptor still writing it keeps it this process's (the close of a reader of a
    // file it writes gave it up: its later writes were lost at the next open).
    if (!openForWriting(p)) written.delete(p);
    if (goneFromKernel(p)) return;
    writeToKernel(p);
  };
  /**
   * Another process unlinked `p` while this one had it open for writing (the open made it
   * there, or found it there): on Linux the writes went to a file with no name, which the
   * last close frees, so the close must not bring the name back, and stat no longer finds
   * it. This worker's copy of the name goes too.
   */
  const goneFromKernel = (p: string): boolean => {
    let there: unknown = "file";
    syncing = true;
    try {
      if (channel.call("fs_stat", JSON.stringify({ path: p }), null) === 1) there = JSON.parse(channel.replyJson);
      if (there !== null) return false;
      // Its descriptors keep their node (Emscripten's streams, as Linux's keep the inode).
      if (FS.analyzePath(p).exists && !isLocalDir(p)) origUnlink(p);
    } finally {
      syncing = false;
    }
    dirty.delete(p);
    return true;
  };
  FS.trackingDelegate.onDeletePath = (path: string) => {
    const p = abs(path);
    if (syncing || state.paused || !shared(p)) return;
    dirty.delete(p);
    if (sched.on) sched.point("file.delete", `file:${p}`, "write", false);
    fresh.clear();
    channel.post("fs_unlink", JSON.stringify({ path: p }), null);
  };
  // os.truncate(path, n): the kernel's copy is cut (or grown) too, or the next open would bring
  // the old bytes back. (ftruncate passes the open file's node: its close writes it.)
  const origTruncate = FS.truncate.bind(FS);
  FS.truncate = (path: unknown, len: number): void => {
    if (typeof path !== "string" || syncing || state.paused) return origTruncate(path, len);
    const p = abs(path);
    if (!shared(p) || written.has(p)) return origTruncate(path, len);
    syncFromKernel(p);
    origTruncate(path, len);
    if (sched.on) sched.point("file.truncate", `file:${p}`, "write", false);
    writeToKernel(p);
  };
  // os.rename/os.replace of a file: the kernel's fs moves too, or the next listdir would undo it.
  FS.trackingDelegate.onMovePath = (oldPath: string, newPath: string) => {
    const from = abs(oldPath);
    const to = abs(newPath);
    if (syncing || state.paused) return;
    if (isLocalDir(to)) {
      // A directory the kernel has moves there too, whole (others saw it keep its old name).
      if (!shared(from) || !shared(to) || !kernelDirs.has(from)) return;
      if (sched.on) sched.point("file.rename", `file:${to}`, "write", false);
      fresh.clear();
      for (const d of [...kernelDirs]) {
        if (d !== from && !d.startsWith(`${from}/`)) continue;
        kernelDirs.delete(d);
        kernelDirs.add(to + d.slice(from.length));
      }
      syncing = true;
      try {
        channel.call("fs_rename_dir", JSON.stringify({ from, to }), null);
      } finally {
        syncing = false;
      }
      return;
    }
    if (sched.on && (shared(to) || shared(from))) sched.point("file.rename", `file:${to}`, "write", false);
    fresh.clear();
    syncing = true;
    let ok = 1;
    try {
      if (shared(to)) ok = channel.call("fs_write", JSON.stringify({ path: to }), FS.readFile(to));
      if (shared(from) && ok === 1) channel.call("fs_unlink", JSON.stringify({ path: from }), null);
    } finally {
      syncing = false;
    }
    if (ok !== 1) throw new FS.ErrnoError(emErrno(channel.replyJson));
  };
}
