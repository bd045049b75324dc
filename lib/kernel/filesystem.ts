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

  writeFile(path: string, data: Uint8Array): void {
    if (this.dirs.has(path)) throw KernelError.os("EISDIR", path);
    const dir = FileSystem.parent(path);
    if (!this.dirs.has(dir)) throw KernelError.os("ENOENT", path);
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
  }

  /** Removes an empty directory (rmdir(2)): ENOTEMPTY while anything is in it. */
  rmdir(path: string): void {
    if (this.files.has(path)) throw KernelError.os("ENOTDIR", path);
    if (!this.dirs.has(path)) throw KernelError.os("ENOENT", path);
    if (this.children(path).length > 0) throw KernelError.os("ENOTEMPTY", path);
    this.dirs.delete(path);
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

export function registerFsSyscalls(kernel: Kernel, fs: FileSystem): void {
  kernel.syscalls.register("fs", {
    fs_read({ args }: SyscallCall): SyscallOutcome {
      return { value: null, bytes: fs.readFile(argStr(args, "path")) };
    },
    fs_write({ args, bytes }: SyscallCall): SyscallOutcome {
      const path = argStr(args, "path");
      fs.mkdirp(path.slice(0, path.lastIndexOf("/")) || "/");
      fs.writeFile(path, bytes ?? new Uint8Array());
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
