/**
 * The shared file system: one in-memory tree every process sees. Workers keep a local
 * copy and sync with it at open/close, so what one process wrote and closed is what the
 * next open() in any process reads. Paths are absolute and normalised by the caller.
 */
import { KernelError } from "./errors";
import type { Kernel } from "./kernel";
import { argStr, type SyscallCall, type SyscallOutcome } from "./syscalls";

export class FileSystem {
  private readonly files = new Map<string, Uint8Array>();
  private readonly dirs = new Set<string>(["/"]);
  readonly quota: FsQuota;

  constructor(limits: FsLimits = { programBytes: FS_PROGRAM_BYTES, fileBytes: FS_FILE_BYTES }) {
    this.quota = new FsQuota(limits);
  }

  private static parent(path: string): string {
    const i = path.lastIndexOf("/");
    return i <= 0 ? "/" : path.slice(0, i);
  }

  mkdirp(path: string): void {
    for (let p = path; p !== "/" && !this.dirs.has(p); p = FileSystem.parent(p)) {
      if (this.files.has(p)) throw KernelError.os("ENOTDIR", p);
      this.dirs.add(p);
    }
  }

  /** Writes a file; a process's write names its `program`, which pays for it (EFBIG / ENOSPC past the quota). */
  writeFile(path: string, data: Uint8Array, program?: number): void {
    if (this.dirs.has(path)) throw KernelError.os("EISDIR", path);
    const dir = FileSystem.parent(path);
    if (!this.dirs.has(dir)) throw KernelError.os("ENOENT", path);
    if (program !== undefined) this.quota.charge(program, path, data.length);
    else this.quota.release(path);
    this.files.set(path, data.slice());
  }

  readFile(path: string): Uint8Array {
    const f = this.files.get(path);
    if (f) return f;
    if (this.dirs.has(path)) throw KernelError.os("EISDIR", path);
    throw KernelError.os("ENOENT", path);
  }

  exists(path: string): "file" | "dir" | null {
    return this.files.has(path) ? "file" : this.dirs.has(path) ? "dir" : null;
  }

  unlink(path: string): void {
    if (!this.files.delete(path)) throw KernelError.os(this.dirs.has(path) ? "EISDIR" : "ENOENT", path);
    this.quota.release(path);
  }

  /** Removes an empty directory (rmdir(2)): ENOTEMPTY while anything is in it. */
  rmdir(path: string): void {
    if (this.files.has(path)) throw KernelError.os("ENOTDIR", path);
    if (!this.dirs.has(path)) throw KernelError.os("ENOENT", path);
    if (this.children(path).length > 0) throw KernelError.os("ENOTEMPTY", path);
    this.dirs.delete(path);
  }

  /**
   * Moves directory `from` and everything under it to `to` (rename(2) of a directory; `to`
   * must not exist, or be an empty directory). Files keep who pays for them.
   */
  renameDir(from: string, to: string): void {
    if (!this.dirs.has(from)) throw KernelError.os(this.files.has(from) ? "ENOTDIR" : "ENOENT", from);
    if (to === from) return;
    if (to.startsWith(from + "/")) throw KernelError.os("EINVAL", to);
    if (this.files.has(to)) throw KernelError.os("ENOTDIR", to);
    if (this.dirs.has(to) && this.children(to).length > 0) throw KernelError.os("ENOTEMPTY", to);
    if (!this.dirs.has(FileSystem.parent(to))) throw KernelError.os("ENOENT", to);
    const moved = (p: string): string => to + p.slice(from.length);
    const inside = (p: string): boolean => p === from || p.startsWith(from + "/");
    for (const d of [...this.dirs].filter(inside)) {
      this.dirs.delete(d);
      this.dirs.add(moved(d));
    }
    for (const [f, data] of [...this.files].filter(([f]) => inside(f))) {
      this.files.delete(f);
      this.files.set(moved(f), data);
      this.quota.move(f, moved(f));
    }
  }

  /** The direct children of `dir`: name and kind, sorted by name. */
  children(dir: string): [string, "file" | "dir"][] {
    const prefix = dir === "/" ? "/" : dir + "/";
    const out: [string, "file" | "dir"][] = [];
    const direct = (p: string): boolean => p.startsWith(prefix) && p.length > prefix.length && !p.includes("/", prefix.length);
    for (const p of this.files.keys()) if (direct(p)) out.push([p.slice(prefix.length), "file"]);
    for (const p of this.dirs) if (direct(p)) out.push([p.slice(prefix.length), "dir"]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Every file under `dir` (recursive), as absolute paths. */
  list(dir: string): string[] {
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  /** Every directory under `dir` (recursive, `dir` excluded), parents before children. */
  listDirs(dir: string): string[] {
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    return [...this.dirs].filter((p) => p.startsWith(prefix)).sort();
  }
}

/** Default quotas: bytes of files one program may keep in the shared fs, and one file's size. */
export const FS_PROGRAM_BYTES = 256 * 1024 * 1024;
export const FS_FILE_BYTES = 128 * 1024 * 1024;

export interface FsLimits {
  /** Bytes of files a program (its processes together) may have written and not deleted: ENOSPC past it. */
  readonly programBytes: number;
  /** Size of one file: EFBIG past it (the worker refuses the write itself; see fs-mirror.ts). */
  readonly fileBytes: number;
}

/**
 * Who pays for each file a process wrote: the program of the last writer, for as long as the
 * file exists (files outlive their program, like a disk's). Files the machine itself wrote
 * (a run's sources, the shell's) are nobody's.
 */
export class FsQuota {
  private readonly charges = new Map<string, { program: number; bytes: number }>();
  private readonly used = new Map<number, number>();

  constructor(readonly limits: FsLimits) {}

  usedBy(program: number): number {
    return this.used.get(program) ?? 0;
  }

  /** Throws EFBIG / ENOSPC when `program` may not make `path` `bytes` long; else charges it. */
  charge(program: number, path: string, bytes: number): void {
    if (bytes > this.limits.fileBytes) throw KernelError.os("EFBIG", path);
    const old = this.charges.get(path);
    const mine = this.usedBy(program) - (old?.program === program ? old.bytes : 0);
    if (mine + bytes > this.limits.programBytes) throw KernelError.os("ENOSPC", path);
    this.release(path);
    this.charges.set(path, { program, bytes });
    this.used.set(program, mine + bytes);
  }

  /** The charge for `from` is now `to`'s (a rename). */
  move(from: string, to: string): void {
    const c = this.charges.get(from);
    if (!c) return;
    this.charges.delete(from);
    this.charges.set(to, c);
  }

  release(path: string): void {
    const old = this.charges.get(path);
    if (!old) return;
    this.charges.delete(path);
    this.used.set(old.program, this.usedBy(old.program) - old.bytes);
  }
}

export function registerFsSyscalls(kernel: Kernel, fs: FileSystem): void {
  kernel.syscalls.register("fs", {
    fs_read({ args }: SyscallCall): SyscallOutcome {
      return { value: null, bytes: fs.readFile(argStr(args, "path")) };
    },
    fs_write({ pid, args, bytes }: SyscallCall): SyscallOutcome {
      const path = argStr(args, "path");
      fs.mkdirp(path.slice(0, path.lastIndexOf("/")) || "/");
      fs.writeFile(path, bytes ?? new Uint8Array(), kernel.programOf(pid));
      return { value: null };
    },
    /**
     * A write to a file opened with O_APPEND: its bytes go at the end of the file as it is now,
     * whatever other processes appended meanwhile (one write is never split, as on Linux).
     */
    fs_append({ pid, args, bytes }: SyscallCall): SyscallOutcome {
      const path = argStr(args, "path");
      const add = bytes ?? new Uint8Array();
      fs.mkdirp(path.slice(0, path.lastIndexOf("/")) || "/");
      const old = fs.exists(path) === "file" ? fs.readFile(path) : new Uint8Array();
      const out = new Uint8Array(old.length + add.length);
      out.set(old);
      out.set(add, old.length);
      fs.writeFile(path, out, kernel.programOf(pid));
      return { value: out.length };
    },
    /** A worker's rename of a directory it had from the kernel (a file's rename is a write and an unlink). */
    fs_rename_dir({ args }: SyscallCall): SyscallOutcome {
      fs.renameDir(argStr(args, "from"), argStr(args, "to"));
      return { value: null };
    },
    /** A worker's unlink or rmdir (Emscripten reports both as one "path deleted"). */
    fs_unlink({ args }: SyscallCall): SyscallOutcome {
      const path = argStr(args, "path");
      if (fs.exists(path) === "dir") fs.rmdir(path);
      else fs.unlink(path);
      return { value: null };
    },

    /** A directory a process made: others see it in listdir/stat and a child can chdir into it. */
    fs_mkdir({ args }: SyscallCall): SyscallOutcome {
      fs.mkdirp(argStr(args, "path"));
      return { value: null };
    },
    fs_stat({ args }: SyscallCall): SyscallOutcome {
      return { value: fs.exists(argStr(args, "path")) };
    },
    /**
     * What a worker needs to bring its copy of one path up to date (stat, listdir): a file's
     * bytes, a directory's entries, or that nothing is there.
     */
    fs_lookup({ args }: SyscallCall): SyscallOutcome {
      const path = argStr(args, "path");
      const kind = fs.exists(path);
      if (kind === "file") return { value: { kind }, bytes: fs.readFile(path) };
      if (kind === "dir") return { value: { kind, entries: fs.children(path) } };
      return { value: { kind: null } };
    },
  });
}
