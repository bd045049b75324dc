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

/**
 * The one errno table of the kernel and its network: Linux's numbers (what CPython on Linux
 * shows) and glibc's strerror() texts (what CPython puts in OSError messages).
 */
const ERRNO_TABLE = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such file or directory"],
  ESRCH: [3, "No such process"],
  EINTR: [4, "Interrupted system call"],
  EIO: [5, "Input/output error"],
  EBADF: [9, "Bad file descriptor"],
  ECHILD: [10, "No child processes"],
  EAGAIN: [11, "Resource temporarily unavailable"],
  ENOMEM: [12, "Cannot allocate memory"],
  EACCES: [13, "Permission denied"],
  EFAULT: [14, "Bad address"],
  EEXIST: [17, "File exists"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  EINVAL: [22, "Invalid argument"],
  EMFILE: [24, "Too many open files"],
  EFBIG: [27, "File too large"],
  ENOSPC: [28, "No space left on device"],
  EROFS: [30, "Read-only file system"],
  EPIPE: [32, "Broken pipe"],
  ENAMETOOLONG: [36, "File name too long"],
  ENOSYS: [38, "Function not implemented"],
  ENOTEMPTY: [39, "Directory not empty"],
  ENOTSOCK: [88, "Socket operation on non-socket"],
  EDESTADDRREQ: [89, "Destination address required"],
  EMSGSIZE: [90, "Message too long"],
  ENOPROTOOPT: [92, "Protocol not available"],
  ESOCKTNOSUPPORT: [94, "Socket type not supported"],
  EOPNOTSUPP: [95, "Operation not supported"],
  EAFNOSUPPORT: [97, "Address family not supported by protocol"],
  EADDRINUSE: [98, "Address already in use"],
  EADDRNOTAVAIL: [99, "Cannot assign requested address"],
  ENETUNREACH: [101, "Network is unreachable"],
  ECONNABORTED: [103, "Software caused connection abort"],
  ECONNRESET: [104, "Connection reset by peer"],
  EISCONN: [106, "Transport endpoint is already connected"],
  ENOTCONN: [107, "Transport endpoint is not connected"],
  ETIMEDOUT: [110, "Connection timed out"],
  ECONNREFUSED: [111, "Connection refused"],
  EALREADY: [114, "Operation already in progress"],
  EINPROGRESS: [115, "Operation now in progress"],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrnoName = keyof typeof ERRNO_TABLE;

/** Errno name → Linux number (`Errno.EAGAIN === 11`). */
export const Errno = Object.fromEntries(Object.entries(ERRNO_TABLE).map(([name, [no]]) => [name, no])) as {
  readonly [K in ErrnoName]: (typeof ERRNO_TABLE)[K][0];
};

const STRERROR = new Map<number, string>(Object.values(ERRNO_TABLE));

/** The OSError subclass CPython picks for an errno (Objects/exceptions.c), where the kernel raises one itself. */
const ERRNO_EXCEPTION: Partial<Record<number, PyExceptionName>> = {
  [Errno.EPERM]: "PermissionError",
  [Errno.ENOENT]: "FileNotFoundError",
  [Errno.ESRCH]: "ProcessLookupError",
  [Errno.EINTR]: "InterruptedError",
  [Errno.EACCES]: "PermissionError",
  [Errno.ECHILD]: "ChildProcessError",
  [Errno.EEXIST]: "FileExistsError",
  [Errno.ENOTDIR]: "NotADirectoryError",
  [Errno.EISDIR]: "IsADirectoryError",
  [Errno.EPIPE]: "BrokenPipeError",
  [Errno.ECONNRESET]: "ConnectionResetError",
  [Errno.ETIMEDOUT]: "TimeoutError",
  [Errno.ECONNREFUSED]: "ConnectionRefusedError",
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
  /** Controlled mode: the call would wait here; the worker parks at the scheduler instead and calls again. */
  readonly wouldBlock?: { readonly on: string; readonly object: string };
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
    return new KernelError(ERRNO_EXCEPTION[errno] ?? "OSError", errno, strerror(errno), filename);
  }

  /** EINTR: signal `sig` arrived while the call waited in the kernel. */
  static interrupted(sig: number): KernelError {
    return new KernelError("InterruptedError", Errno.EINTR, strerror(Errno.EINTR), undefined, sig);
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
  return STRERROR.get(errno) ?? `Unknown error ${errno}`;
}
