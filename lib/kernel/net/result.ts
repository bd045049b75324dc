/**
 * How the loopback network answers: every operation returns a NetResult instead of throwing,
 * since EAGAIN is an ordinary answer. Errno numbers and texts come from the kernel's one
 * table (../errors.ts), Linux's, so the Python side raises `OSError(errno, text)` and gets
 * CPython's subclass (ConnectionRefusedError for ECONNREFUSED, BrokenPipeError for EPIPE, …).
 */
import { Errno, strerror, type ErrnoName } from "../errors";

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
export type NetResult<T> = NetSuccess<T> | NetFailure;

export function ok<T>(value: T): NetSuccess<T> {
  return { ok: true, value };
}

export function fail(name: ErrnoName, message?: string): NetFailure {
  const errno = Errno[name];
  return { ok: false, errno, message: message ?? strerror(errno) };
}

export function failErrno(errno: number): NetFailure {
  return { ok: false, errno, message: strerror(errno) };
}
