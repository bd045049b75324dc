/**
 * The worker's Emscripten file system as it was at the end of boot, and putting it back after a
 * process ran (./recycle.ts). Files live in JS objects, not in the wasm memory a recycle copies
 * back, so a process's writes anywhere (its /home and /tmp copies, or a runtime or stdlib file it
 * overwrote in its own worker) would otherwise reach the next process that runs there. The tree
 * is compared with the record and every difference undone: entries the process made go, entries
 * it removed or replaced come back, and a file whose bytes, size or mode changed gets its
 * recorded bytes again. /dev and /proc are devices, not files, and are left alone.
 *
 * Except, after a process (`restore({ keepShared: true })`), what it left under the shared roots
 * (/home, /tmp): the next process starts with the kernel's copy of those files, most of them the
 * same bytes (a search runs one program hundreds of times; a folder of 90 files cost every
 * schedule ~18 ms removing and writing them again). They stay until the next start, which
 * keeps each one it starts with unchanged and removes the rest (`writeStartFiles`), so that
 * process sees exactly what a fresh worker would have.
 */
import { isSharedBuffer } from "@/lib/kernel";
import { SHARED_ROOTS } from "./fs-mirror";

interface MemNode {
  name: string;
  mode: number;
  /** The file system mounted here, if any (its root stands for this node in a path). */
  mounted?: { root: MemNode } | null;
  node_ops: { readdir?: (node: MemNode) => string[] };
  contents: Uint8Array | Record<string, MemNode> | null;
  usedBytes?: number;
  link?: string;
  atime?: number;
  mtime?: number;
  ctime?: number;
}

interface Stream {
  position: number;
}

/** The slice of Emscripten's FS a restore uses. */
export interface RestorableFS {
  readdir(path: string): string[];
  lookupPath(path: string, opts?: { follow?: boolean }): { node: MemNode };
  /** A directory node's entry `name` (not followed if a link; throws when there is none). */
  lookupNode(parent: MemNode, name: string): MemNode;
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  isLink(mode: number): boolean;
  mkdir(path: string, mode?: number): unknown;
  writeFile(path: string, data: Uint8Array): void;
  symlink(target: string, path: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  chdir(path: string): void;
  cwd(): string;
  closeStream(fd: number): void;
  streams: (Stream | null | undefined)[];
  trackingDelegate: Record<string, unknown>;
  ignorePermissions: boolean;
}

interface Entry {
  node: MemNode;
  mode: number;
  /** A directory's entries. */
  children?: string[];
  /** A file's bytes: a private copy, or the shared buffer itself (never written: copy-on-write). */
  bytes?: Uint8Array;
  shared?: boolean;
  link?: string;
  times: [number | undefined, number | undefined, number | undefined];
}

const SKIPPED = new Set(["/dev", "/proc"]);
/** A left file larger than this goes at the restore: an idle worker does not hold a big file until its next start. */
const KEEP_FILE_MAX = 1 << 20;
/** The mode FS.writeFile gives a file it makes (regular, rw-rw-rw-: Emscripten has no umask). */
const WRITTEN_MODE = 0o100666;
/** The mode FS.mkdirTree gives a directory it makes. */
const MADE_DIR_MODE = 0o40777;

const join = (dir: string, name: string): string => (dir === "/" ? `/${name}` : `${dir}/${name}`);

function names(FS: RestorableFS, dir: string): string[] {
  return FS.readdir(dir).filter((n) => n !== "." && n !== "..");
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let from = 0;
  const n8 = a.length >> 3;
  if (a.byteOffset % 8 === 0 && b.byteOffset % 8 === 0 && n8 > 0) {
    // Eight bytes a step, as doubles (twice the speed of words here, this runs after every
    // process): equal doubles have equal bits but for +0 and −0, and NaNs are told apart by
    // their words.
    const x = new Float64Array(a.buffer, a.byteOffset, n8);
    const y = new Float64Array(b.buffer, b.byteOffset, n8);
    const xw = new Int32Array(a.buffer, a.byteOffset, n8 * 2);
    const yw = new Int32Array(b.buffer, b.byteOffset, n8 * 2);
    for (let i = 0; i < n8; i++) {
      const u = x[i];
      const v = y[i];
      if (u === v) {
        if (u === 0 && xw[2 * i + 1] !== yw[2 * i + 1]) return false;
      } else if (u === u || v === v || xw[2 * i] !== yw[2 * i] || xw[2 * i + 1] !== yw[2 * i + 1]) return false;
    }
    from = n8 * 8;
  }
  for (let i = from; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A file node's bytes (MEMFS keeps spare room after usedBytes). */
function fileBytes(node: MemNode): Uint8Array {
  const c = node.contents instanceof Uint8Array ? node.contents : new Uint8Array(0);
  return c.subarray(0, node.usedBytes ?? c.length);
}

/** What a restore left under the shared roots: path → its directory's node (a recorded one) and its name there. */
export type Leftover = Map<string, { readonly parent: MemNode; readonly name: string }>;

export class FsRecord {
  private readonly entries = new Map<string, Entry>();
  /** What `restore({ keepShared: true })` left under the shared roots, for the next start (writeStartFiles). */
  readonly leftover: Leftover = new Map();
  private keepShared = false;
  private readonly streams: (Stream | null | undefined)[];
  private readonly positions: number[];
  private readonly cwd: string;

  constructor(private readonly FS: RestorableFS) {
    this.record("/");
    this.streams = FS.streams.slice();
    this.positions = this.streams.map((s) => s?.position ?? 0);
    this.cwd = FS.cwd();
  }

  private record(path: string): void {
    const { node } = this.FS.lookupPath(path, { follow: false });
    const entry: Entry = { node, mode: node.mode, times: [node.atime, node.mtime, node.ctime] };
    if (this.FS.isDir(node.mode)) {
      entry.children = path === "/" ? names(this.FS, path).filter((n) => !SKIPPED.has(`/${n}`)) : names(this.FS, path);
      this.entries.set(path, entry);
      for (const name of entry.children) this.record(join(path, name));
      return;
    }
    if (this.FS.isFile(node.mode)) {
      const bytes = fileBytes(node);
      entry.shared = isSharedBuffer(bytes.buffer);
      entry.bytes = entry.shared ? (node.contents as Uint8Array) : bytes.slice();
    } else if (this.FS.isLink(node.mode)) entry.link = node.link;
    this.entries.set(path, entry);
  }

  /**
   * Undoes every change since the record; with `keepShared`, but for the files and directories
   * not in the record under the shared roots (see the banner). Throws when the tree cannot be
   * put back (the worker is then not reused).
   */
  restore(options: { keepShared?: boolean } = {}): void {
    const FS = this.FS;
    this.keepShared = options.keepShared === true;
    this.leftover.clear();
    // Removing a /home file must not tell the kernel the program deleted it (fs-mirror's hooks).
    const delegate = FS.trackingDelegate;
    FS.trackingDelegate = {};
    // A directory the process made read-only must not keep what it holds.
    const ignoring = FS.ignorePermissions;
    FS.ignorePermissions = true;
    try {
      for (let fd = 0; fd < FS.streams.length; fd++) {
        if (FS.streams[fd] && FS.streams[fd] !== this.streams[fd]) FS.closeStream(fd);
      }
      FS.chdir("/");
      this.restoreDir("/");
      FS.streams.length = 0;
      this.streams.forEach((s, fd) => {
        FS.streams[fd] = s;
        if (s) s.position = this.positions[fd];
      });
      FS.chdir(this.cwd);
    } finally {
      FS.trackingDelegate = delegate;
      FS.ignorePermissions = ignoring;
    }
  }

  /**
   * Walks the tree from the directory nodes themselves (the record's node is the directory's
   * own, restoreEntry made sure of that): a path lookup per entry cost ~15 µs, most of a
   * restore that runs after every process and before every kept start.
   */
  private restoreDir(path: string): void {
    const entry = this.entries.get(path);
    if (!entry?.children) throw new Error(`no record of directory ${path}`);
    const dir = entry.node;
    const wanted = new Set(entry.children);
    const readdir = dir.node_ops.readdir;
    for (const name of readdir ? readdir(dir) : this.FS.readdir(path)) {
      if (name === "." || name === "..") continue;
      const child = join(path, name);
      if (path === "/" && SKIPPED.has(child)) continue;
      if (wanted.has(name)) continue;
      if (this.keepShared && this.keeps(dir, name, child)) this.leftover.set(child, { parent: dir, name });
      else this.remove(child);
    }
    for (const name of entry.children) this.restoreEntry(dir, name, join(path, name));
    dir.mode = entry.mode;
    this.restoreTimes(entry);
  }

  /** A directory, or a file of at most KEEP_FILE_MAX bytes, under a shared root. */
  private keeps(parent: MemNode, name: string, path: string): boolean {
    if (!SHARED_ROOTS.some((r) => path.startsWith(r))) return false;
    const node = this.child(parent, name);
    if (!node) return false;
    return this.FS.isDir(node.mode) || (this.FS.isFile(node.mode) && (node.usedBytes ?? 0) <= KEEP_FILE_MAX);
  }

  /** `parent`'s entry `name` as a path lookup without following a link finds it (null: none). */
  private child(parent: MemNode, name: string): MemNode | null {
    try {
      const node = this.FS.lookupNode(parent, name);
      return node.mounted ? node.mounted.root : node;
    } catch {
      return null;
    }
  }

  private restoreEntry(parent: MemNode, name: string, path: string): void {
    const FS = this.FS;
    const entry = this.entries.get(path);
    if (!entry) throw new Error(`no record of ${path}`);
    let node = this.child(parent, name);
    if (node && node !== entry.node) {
      this.remove(path);
      node = null;
    }
    if (!node) this.recreate(path, entry);
    if (FS.isDir(entry.mode)) return this.restoreDir(path);
    const n = entry.node;
    if (entry.bytes && FS.isFile(entry.mode)) {
      if (entry.shared) {
        if (n.contents !== entry.bytes || n.usedBytes !== entry.bytes.length) {
          n.contents = entry.bytes;
          n.usedBytes = entry.bytes.length;
        }
      } else if (!sameBytes(fileBytes(n), entry.bytes)) {
        n.contents = entry.bytes.slice();
        n.usedBytes = entry.bytes.length;
      }
    }
    n.mode = entry.mode;
    this.restoreTimes(entry);
  }

  private restoreTimes(entry: Entry): void {
    [entry.node.atime, entry.node.mtime, entry.node.ctime] = entry.times;
  }

  /** Makes the entry again; the new node takes the old one's place in the record. */
  private recreate(path: string, entry: Entry): void {
    const FS = this.FS;
    if (FS.isDir(entry.mode)) FS.mkdir(path, entry.mode & 0o7777);
    else if (FS.isLink(entry.mode) && entry.link !== undefined) FS.symlink(entry.link, path);
    else if (FS.isFile(entry.mode)) FS.writeFile(path, entry.shared ? new Uint8Array(0) : (entry.bytes ?? new Uint8Array(0)).slice());
    else throw new Error(`cannot make ${path} again`);
    const node = FS.lookupPath(path, { follow: false }).node;
    if (entry.shared && entry.bytes) {
      // The stdlib zip: its node's copy-on-write stream_ops are gone with the old node, so it
      // gets a private copy (never written back to the shared bytes).
      node.contents = entry.bytes.slice();
      node.usedBytes = entry.bytes.length;
      entry.bytes = node.contents;
      entry.shared = false;
    }
    entry.node = node;
  }

  private remove(path: string): void {
    removeTree(this.FS, path, this.FS.lookupPath(path, { follow: false }).node);
  }
}

function lookupOrNull(FS: RestorableFS, path: string, follow = false): MemNode | null {
  try {
    return FS.lookupPath(path, { follow }).node;
  } catch {
    return null;
  }
}

function removeTree(FS: RestorableFS, path: string, node: MemNode): void {
  if (FS.isDir(node.mode)) {
    for (const name of names(FS, path)) {
      const child = lookupOrNull(FS, join(path, name));
      if (child) removeTree(FS, join(path, name), child);
    }
    FS.rmdir(path);
  } else FS.unlink(path);
}

/**
 * FS.writeFile(path, data) for each file, but for a file that is already just that (same
 * bytes, the mode a write gives): it only gets a write's times. Whatever else is at a path (a
 * directory, a link, a file of another mode) goes first. Each directory is looked up once: a
 * path lookup costs ~5 µs, and a start puts every file of the program's folder.
 */
export function putFiles(FS: StartFS, files: Iterable<readonly [string, Uint8Array]>): void {
  const dirs = new Map<string, MemNode>();
  /** The directory at `path` (a mount's root for a mount point), null when there is none. */
  const dirOf = (path: string): MemNode | null => {
    const cached = dirs.get(path);
    if (cached) return cached;
    const node = lookupOrNull(FS, path, true);
    const dir = node?.mounted ? node.mounted.root : node;
    if (!dir || !FS.isDir(dir.mode)) return null;
    dirs.set(path, dir);
    return dir;
  };
  for (const [path, data] of files) {
    const slash = path.lastIndexOf("/");
    const dirPath = path.slice(0, slash) || "/";
    const dir = dirOf(dirPath);
    let node: MemNode | null = null;
    if (dir) {
      try {
        node = FS.lookupNode(dir, path.slice(slash + 1));
      } catch {
        node = null;
      }
    }
    const written = node !== null && node.mode === WRITTEN_MODE && node.contents instanceof Uint8Array;
    if (written && sameBytes(fileBytes(node!), data)) {
      node!.atime = node!.mtime = node!.ctime = Date.now();
      continue;
    }
    if (node && !written) {
      removeTree(FS, path, node.mounted ? node.mounted.root : node);
      dirs.delete(path);
    }
    if (!dir) FS.mkdirTree(dirPath);
    FS.writeFile(path, data);
  }
}

/** What writeStartFiles needs besides RestorableFS. */
export interface StartFS extends RestorableFS {
  mkdirTree(path: string): void;
}

/**
 * Writes a process's start files (`[path, bytes]`, shared paths) into the worker's file
 * system, given what the last process left there (FsRecord.leftover, emptied here): a left
 * file that is one of them, with the same bytes and the mode a write gives, stays (its times
 * set as a write would); every other left entry goes, but the directories that hold a start
 * file or that the start makes (`dirs`). The caller has the mirror off.
 */
export function writeStartFiles(FS: StartFS, files: readonly (readonly [string, Uint8Array])[], dirs: readonly string[], leftover: Leftover | null): void {
  if (!leftover || leftover.size === 0) return putFiles(FS, files);
  const ignoring = FS.ignorePermissions;
  FS.ignorePermissions = true;
  try {
    const start = new Set(files.map(([p]) => p));
    const holders = new Set<string>(dirs);
    for (const [p] of files) for (let d = p.slice(0, p.lastIndexOf("/")); d.length > 1 && !holders.has(d); d = d.slice(0, d.lastIndexOf("/"))) holders.add(d);
    // Left entries no start file or directory accounts for go; left directories are pruned.
    const prune = (parent: MemNode, name: string, path: string): void => {
      let node: MemNode;
      try {
        node = FS.lookupNode(parent, name);
      } catch {
        return;
      }
      if (FS.isDir(node.mode) && holders.has(path)) {
        const dir = node.mounted ? node.mounted.root : node;
        // As the start would make it: a mode the last process set must not reach the next.
        dir.mode = MADE_DIR_MODE;
        dir.atime = dir.mtime = dir.ctime = Date.now();
        for (const child of names(FS, path)) prune(dir, child, join(path, child));
      } else if (!(FS.isFile(node.mode) && start.has(path))) removeTree(FS, path, node);
    };
    for (const [path, { parent, name }] of leftover) prune(parent, name, path);
    leftover.clear();
    putFiles(FS, files);
  } finally {
    FS.ignorePermissions = ignoring;
  }
}
