/**
 * Errors of the loopback network. Numbers are Linux's (CPython on Linux shows the same),
 * so the Python side can raise `OSError(errno, text)` and CPython picks the subclass
 * (ConnectionRefusedError for 111, BrokenPipeError for 32, …) by itself.
 */
export const NetErrno = {
  EBADF: 9,
  EAGAIN: 11,
  EINVAL: 22,
  EMFILE: 24,
  EPIPE: 32,
  ENOTSOCK: 88,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  ENOPROTOOPT: 92,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EALREADY: 114,
  EINPROGRESS: 115,
} as const;
export type NetErrnoName = keyof typeof NetErrno;

/** glibc's strerror() texts, which CPython puts in OSError messages. */
const TEXT: Record<number, string> = {
  9: "Bad file descriptor",
  11: "Resource temporarily unavailable",
  22: "Invalid argument",
  24: "Too many open files",
  32: "Broken pipe",
  88: "Socket operation on non-socket",
  89: "Destination address required",
  90: "Message too long",
  92: "Protocol not available",
  95: "Operation not supported",
  97: "Address family not supported by protocol",
  98: "Address already in use",
  99: "Cannot assign requested address",
  101: "Network is unreachable",
  103: "Software caused connection abort",
  104: "Connection reset by peer",
  106: "Transport endpoint is already connected",
  107: "Transport endpoint is not connected",
  110: "Connection timed out",
  111: "Connection refused",
  114: "Operation already in progress",
  115: "Operation now in progress",
};

export function netStrerror(errno: number): string {
  return TEXT[errno] ?? `Unknown error ${errno}`;
}

/** The message used for every address outside the loopback: the page is its own little computer. */
export const NO_OUTSIDE_NETWORK =
  "Network is unreachable: this page has no outside network (only 127.0.0.1 / localhost works here)";

/** A failed network operation: an errno plus the text Python shows. */
export interface NetFailure {
  readonly ok: false;
  readonly errno: number;
  readonly message: string;
}
export interface NetSuccess<T> {
  readonly ok: true;
  readonly value: T;
}
/** Every operation of the network returns this instead of throwing: EAGAIN is an ordinary answer. */
export type NetResult<T> = NetSuccess<T> | NetFailure;

export function ok<T>(value: T): NetSuccess<T> {
  return { ok: true, value };
}

export function fail(name: NetErrnoName, message?: string): NetFailure {
  const errno = NetErrno[name];
  return { ok: false, errno, message: message ?? netStrerror(errno) };
}

export function failErrno(errno: number): NetFailure {
  return { ok: false, errno, message: netStrerror(errno) };
}
