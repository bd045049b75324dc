/**
 * Limits a process enforces on itself, on what the kernel cannot see: the size of one file
 * (a write lands in this worker's own file system first; without the check a 3 GiB file
 * would fill the worker's memory before any close reached the kernel's quota) and the
 * interpreter's wasm memory. The numbers come from the kernel with the first process's start
 * and live in this closure, out of Python's reach; Python's `js` cannot replace the wrapped functions
 * (non-writable, non-configurable own properties).
 */
import type { ProcessLimits } from "@/lib/kernel";

/** Emscripten's errno numbers (its FS.ErrnoError codes; libc then reports them to Python). */
const EM_EFBIG = 22;

interface EmStream {
  readonly node: { usedBytes?: number };
  readonly flags: number;
  readonly position: number;
}

/** The slice of Emscripten's FS and Module these checks wrap. */
export interface LimitedFS {
  write(stream: EmStream, buffer: Uint8Array, offset: number, length: number, position?: number, canOwn?: boolean): number;
  truncate(path: unknown, len: number): void;
  ftruncate(fd: number, len: number): void;
  ErrnoError: new (errno: number) => Error;
}

export interface LimitedModule {
  readonly wasmMemory?: WebAssembly.Memory;
  readonly memory?: WebAssembly.Memory;
}

const O_APPEND = 1024;
const PAGE = 65536;

function seal<T extends object>(target: T, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: true });
}

/**
 * Installs the checks once per worker (a recycled worker keeps them). `report` writes a line
 * to the process's stderr: why an allocation failed.
 */
export function installLimits(FS: LimitedFS, em: LimitedModule, { fileBytes, memoryBytes }: ProcessLimits, report: (text: string) => void): void {
  if (installed.has(FS)) return;
  installed.add(FS);

  const write = FS.write.bind(FS);
  seal(FS, "write", (stream: EmStream, buffer: Uint8Array, offset: number, length: number, position?: number, canOwn?: boolean): number => {
    const at = typeof position === "number" ? position : stream.flags & O_APPEND ? (stream.node.usedBytes ?? 0) : stream.position;
    // RLIMIT_FSIZE: CPython ignores SIGXFSZ, so the write fails with EFBIG.
    if (at + length > fileBytes) throw new FS.ErrnoError(EM_EFBIG);
    return write(stream, buffer, offset, length, position, canOwn);
  });
  const truncate = FS.truncate.bind(FS);
  seal(FS, "truncate", (path: unknown, len: number): void => {
    if (len > fileBytes) throw new FS.ErrnoError(EM_EFBIG);
    truncate(path, len);
  });
  const ftruncate = FS.ftruncate.bind(FS);
  seal(FS, "ftruncate", (fd: number, len: number): void => {
    if (len > fileBytes) throw new FS.ErrnoError(EM_EFBIG);
    ftruncate(fd, len);
  });

  // Every growth of the interpreter's memory goes through Emscripten's growMemory, which calls
  // grow and treats a throw as "no memory": malloc returns NULL and Python raises MemoryError
  // (what CPython raises under `ulimit -v`). The prototype's grow is replaced too, so Python
  // reaching the Memory through `js` cannot grow it past the limit either.
  const memory = em.wasmMemory ?? em.memory;
  if (!memory) return;
  const grow = WebAssembly.Memory.prototype.grow;
  let told = false;
  const checked = function (this: WebAssembly.Memory, delta: number): number {
    if (this === memory && this.buffer.byteLength + delta * PAGE > memoryBytes) {
      // Emscripten asks for 5–20% more than it needs first: the message may come while a
      // smaller request still succeeds, so it says the limit is near, once.
      if (!told) report(`spawnpoint: this process is at its memory limit (${memoryBytes / 2 ** 20} MiB); allocations past it fail with MemoryError\n`);
      told = true;
      throw new RangeError("wasm memory limit");
    }
    return grow.call(this, delta);
  };
  seal(WebAssembly.Memory.prototype, "grow", checked);
  seal(memory, "grow", checked);
}

const installed = new WeakSet<object>();
