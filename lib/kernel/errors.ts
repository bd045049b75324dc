/**
 * Typed kernel errors. Every failure a syscall can report carries an errno and the name of
 * the Python exception the worker raises for it, so no layer ever parses an error string.
 */

/** Python exception classes the runtime knows how to raise from a kernel error. */
export type PyExceptionName =
  | "OSError"
  | "ProcessLookupError"
  | "ChildProcessError"
  | "FileNotFoundError"
  | "FileExistsError"
  | "IsADirectoryError"
  | "NotADirectoryError"
  | "PermissionError"
  | "BrokenPipeError"
  | "ConnectionRefusedError"
  | "ConnectionResetError"
  | "TimeoutError"
  | "KeyboardInterrupt"
  | "InterruptedError"
  | "EOFError"
  | "ValueError"
  | "queue.Empty"
  | "queue.Full";

/** The errno values the kernel uses (Linux numbering, like CPython on Linux). */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  EEXIST: 17,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EPIPE: 32,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  EADDRINUSE: 98,
  ECONNRESET: 104,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
} as const;
export type ErrnoName = keyof typeof Errno;

/** strerror() texts, as glibc prints them (CPython shows them in OSError messages). */
const STRERROR: Record<number, string> = {
  1: "Operation not permitted",
  2: "No such file or directory",
  3: "No such process",
  4: "Interrupted system call",
  9: "Bad file descriptor",
  10: "No child processes",
  11: "Resource temporarily unavailable",
  17: "File exists",
  20: "Not a directory",
  21: "Is a directory",
  22: "Invalid argument",
  32: "Broken pipe",
  38: "Function not implemented",
  39: "Directory not empty",
  98: "Address already in use",
  104: "Connection reset by peer",
  110: "Connection timed out",
  111: "Connection refused",
};

const ERRNO_EXCEPTION: Partial<Record<number, PyExceptionName>> = {
  2: "FileNotFoundError",
  3: "ProcessLookupError",
  10: "ChildProcessError",
  17: "FileExistsError",
  20: "NotADirectoryError",
  21: "IsADirectoryError",
  1: "PermissionError",
  32: "BrokenPipeError",
  104: "ConnectionResetError",
  110: "TimeoutError",
  111: "ConnectionRefusedError",
};

/** Serializable form of a KernelError, as it crosses the worker boundary. */
export interface KernelErrorData {
  readonly pyType: PyExceptionName;
  readonly errno: number | null;
  readonly message: string;
  /** For OSError subclasses raised on a path (CPython's `filename` attribute). */
  readonly filename?: string;
  /** EINTR: the signal that interrupted the call (the worker runs its handler, then retries). */
  readonly signal?: number;
}

export class KernelError extends Error {
  readonly pyType: PyExceptionName;
  readonly errno: number | null;
  readonly filename?: string;
  readonly signal?: number;

  constructor(pyType: PyExceptionName, errno: number | null, message: string, filename?: string, signal?: number) {
    super(message);
    this.name = "KernelError";
    this.pyType = pyType;
    this.errno = errno;
    this.filename = filename;
    this.signal = signal;
  }

  /** An OSError (or its errno-specific subclass) with glibc's text, e.g. `[Errno 11] Resource temporarily unavailable`. */
  static os(name: ErrnoName, filename?: string): KernelError {
    const errno = Errno[name];
    return new KernelError(ERRNO_EXCEPTION[errno] ?? "OSError", errno, STRERROR[errno] ?? name, filename);
  }

  /** EINTR: signal `sig` arrived while the call waited in the kernel. */
  static interrupted(sig: number): KernelError {
    return new KernelError("InterruptedError", 4, "Interrupted system call", undefined, sig);
  }

  static value(message: string): KernelError {
    return new KernelError("ValueError", null, message);
  }

  toData(): KernelErrorData {
    return {
      pyType: this.pyType,
      errno: this.errno,
      message: this.message,
      ...(this.filename !== undefined ? { filename: this.filename } : {}),
      ...(this.signal !== undefined ? { signal: this.signal } : {}),
    };
  }
}

export function strerror(errno: number): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}
