/**
 * POSIX shared memory by name (shm_open / shm_unlink), for multiprocessing.shared_memory.
 *
 * A segment is a block of the shared heap that every worker already maps, so the bytes one
 * process writes are the bytes another reads, with no copy through the kernel. As on Linux,
 * the name lives until shm_unlink (not until its creator exits), and the memory lives until
 * the name is gone and no process has the segment open any more (close, or the process
 * ends). Sizes are exact, like Linux's tmpfs (`st_size` is what ftruncate set); the heap
 * rounds the block up to 8 bytes internally.
 */
import { Errno, KernelError, strerror } from "./errors";
import type { Kernel } from "./kernel";
import { argBool, argInt, argStr, type SyscallCall, type SyscallOutcome } from "./syscalls";

interface Segment {
  readonly offset: number;
  readonly size: number;
  /** Opens per process (one SharedMemory object = one open). */
  readonly opens: Map<number, number>;
  linked: boolean;
}

/** Linux's NAME_MAX for a file in /dev/shm. */
const NAME_MAX = 255;

export class ShmTable {
  private readonly byName = new Map<string, Segment>();
  /** Segments whose name is gone but which some process still has open. */
  private readonly unlinked = new Set<Segment>();

  constructor(private readonly kernel: Kernel) {
    kernel.onProcessExit((pid) => {
      for (const seg of this.all()) if (seg.opens.delete(pid)) this.maybeFree(seg);
    });
  }

  /** Opens (and with `create` makes, `size` bytes, zeroed) the segment `name` for `pid`. */
  open(pid: number, name: string, create: boolean, exclusive: boolean, size: number): { offset: number; size: number } {
    const key = checkName(name);
    let seg = this.byName.get(key);
    if (seg && create && exclusive) throw KernelError.os("EEXIST", name);
    if (!seg) {
      if (!create) throw KernelError.os("ENOENT", name);
      if (size < 0) throw KernelError.os("EINVAL", name);
      let offset: number;
      try {
        offset = this.kernel.heap.alloc(Math.max(1, size));
      } catch {
        throw new KernelError("OSError", Errno.ENOMEM, "Cannot allocate memory: the shared heap is full", name);
      }
      seg = { offset, size, opens: new Map(), linked: true };
      this.byName.set(key, seg);
    }
    seg.opens.set(pid, (seg.opens.get(pid) ?? 0) + 1);
    return { offset: seg.offset, size: seg.size };
  }

  /** One open of the segment at `offset` by `pid` ends (SharedMemory.close). */
  close(pid: number, offset: number): void {
    const seg = this.all().find((s) => s.offset === offset);
    const n = seg?.opens.get(pid) ?? 0;
    if (!seg || n === 0) return;
    if (n > 1) seg.opens.set(pid, n - 1);
    else seg.opens.delete(pid);
    this.maybeFree(seg);
  }

  unlink(name: string): void {
    const key = checkName(name);
    const seg = this.byName.get(key);
    if (!seg) throw KernelError.os("ENOENT", name);
    this.byName.delete(key);
    seg.linked = false;
    this.unlinked.add(seg);
    this.maybeFree(seg);
  }

  /** Names that exist (like `ls /dev/shm`). */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  private all(): Segment[] {
    return [...this.byName.values(), ...this.unlinked];
  }

  private maybeFree(seg: Segment): void {
    if (seg.linked || seg.opens.size > 0) return;
    this.unlinked.delete(seg);
    this.kernel.heap.free(seg.offset, Math.max(1, seg.size));
  }
}

/** shm_open's rules for a name: one leading slash, no other, not too long. */
function checkName(name: string): string {
  const bare = name.startsWith("/") ? name.slice(1) : name;
  if (bare === "" || bare.includes("/") || bare === "." || bare === "..") throw KernelError.os("EINVAL", name);
  if (bare.length > NAME_MAX) throw new KernelError("OSError", Errno.ENAMETOOLONG, strerror(Errno.ENAMETOOLONG), name);
  return bare;
}

export function registerShmSyscalls(kernel: Kernel, shm: ShmTable): void {
  kernel.syscalls.register("shm", {
    /** args: name, create, exclusive, size. Returns {offset, size}: the segment's bytes in the shared heap. */
    shm_open({ pid, args }: SyscallCall): SyscallOutcome {
      const seg = shm.open(pid, argStr(args, "name"), argBool(args, "create"), argBool(args, "exclusive"), argInt(args, "size"));
      // A name is a right: any program that opens it may touch the segment's block.
      kernel.heap.grant(seg.offset, kernel.programOf(pid));
      return { value: seg };
    },
    shm_close({ pid, args }: SyscallCall): SyscallOutcome {
      shm.close(pid, argInt(args, "offset"));
      return { value: null };
    },
    shm_unlink({ args }: SyscallCall): SyscallOutcome {
      shm.unlink(argStr(args, "name"));
      return { value: null };
    },
  });
}
