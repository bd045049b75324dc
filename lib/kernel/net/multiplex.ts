/**
 * poll(2) and select(2) over sockets: a process parks on the wait queues of every socket it
 * asked about at once, and the kernel re-checks all of them when any one changes.
 */
import { argInts, argTimeout, type SyscallCall, type SyscallOutcome, type SyscallResult } from "../syscalls";
import type { WaitQueue } from "../wait-queue";
import type { Network } from "./network";
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from "./types";

/**
 * A process's standard input when it is the terminal (the kernel's, not a file of its own):
 * readable once a line or the end of input is there; `readers` is woken when either comes.
 */
export interface StdinSource {
  readonly readable: boolean;
  /** The input ended, and whether any of it is still unread. */
  readonly ended: boolean;
  readonly pending: boolean;
  readonly readers: WaitQueue;
}

// select(2)'s mapping of poll bits (Linux fs/select.c).
const SELECT_IN = POLLIN | POLLHUP | POLLERR;
const SELECT_OUT = POLLOUT | POLLERR;

/**
 * The `sock_poll` and `sock_select` syscalls. `sockId` is the endpoint behind a descriptor
 * (EBADF when none); `watchedQueue` its wait queue, with its socket rings watched.
 */
export function multiplexSyscalls(net: Network, sockId: (pid: number, fd: number) => number, watchedQueue: (sock: number) => WaitQueue, stdinOf?: (pid: number) => StdinSource) {
  /** The terminal as descriptor 0 when the call asks for it (`stdin`: poll's events for it, or true in select's read set). */
  const stdinFor = (pid: number, asked: unknown): StdinSource | null => (asked && stdinOf ? stdinOf(pid) : null);
  return {
    /** poll(2) over sockets: fds[i] with events[i] → [[fd, revents], …] of the ready ones. */
    sock_poll(call: SyscallCall): SyscallOutcome {
      const { pid, args } = call;
      const fds = argInts(args, "fds");
      const events = argInts(args, "events");
      const ids = fds.map((fd) => net.sockOf(pid, fd));
      const stdinEvents = typeof args.stdin === "number" ? args.stdin : 0;
      const stdin = stdinFor(pid, stdinEvents & POLLIN);
      const check = (): SyscallResult | undefined => {
        const ready: number[][] = [];
        fds.forEach((fd, i) => {
          const m = net.poll(pid, fd);
          const revents = m.ok ? m.value & (events[i] | POLLERR | POLLHUP) : POLLNVAL;
          if (revents) ready.push([fd, revents]);
        });
        // POLLHUP once the input ended, as a pipe's reading end says (Python takes it off for a tty).
        if (stdin?.readable) ready.push([0, stdin.ended ? POLLHUP | (stdin.pending ? POLLIN : 0) : POLLIN]);
        return ready.length > 0 ? { value: ready } : undefined;
      };
      const now = check();
      if (now) return now;
      const timeoutMs = argTimeout(args);
      if (timeoutMs === 0) return { value: [] };
      const waitOn = ids.flatMap((id) => (id === null ? [] : [watchedQueue(id)]));
      if (stdin) waitOn.push(stdin.readers);
      const again = check();
      if (again) return again;
      return {
        block: {
          on: "socket",
          object: `poll on fds ${(stdin ? [0, ...fds] : fds).join(", ") || "(none)"}`,
          timeoutMs,
          queues: waitOn,
          check,
          onTimeout: () => ({ value: [] }),
        },
      };
    },

    /** select(2) over sockets: {r, w, x} lists of ready descriptors; waits on all of them at once. */
    sock_select(call: SyscallCall): SyscallOutcome {
      const { pid, args } = call;
      const r = argInts(args, "r");
      const w = argInts(args, "w");
      const x = argInts(args, "x");
      const all = [...new Set([...r, ...w, ...x])];
      const ids = all.map((fd) => sockId(pid, fd)); // EBADF up front, like select(2)
      const stdin = stdinFor(pid, args.stdin === true);
      const check = (): SyscallResult | undefined => {
        const mask = (fd: number): number => {
          const m = net.poll(pid, fd);
          return m.ok ? m.value : POLLERR; // closed meanwhile: report it, the next call raises EBADF
        };
        const rr = r.filter((fd) => mask(fd) & SELECT_IN);
        if (stdin?.readable) rr.unshift(0);
        const ww = w.filter((fd) => mask(fd) & SELECT_OUT);
        // Exceptional conditions are out-of-band data, which this network does not carry.
        const xx: number[] = [];
        return rr.length + ww.length + xx.length > 0 ? { value: { r: rr, w: ww, x: xx } } : undefined;
      };
      const now = check();
      if (now) return now;
      const timeoutMs = argTimeout(args);
      const empty = { value: { r: [], w: [], x: [] } };
      if (timeoutMs === 0) return empty;
      const waitOn = ids.map(watchedQueue);
      if (stdin) waitOn.push(stdin.readers);
      const again = check();
      if (again) return again;
      return {
        block: {
          on: "socket",
          object: `select on fds ${(stdin ? [0, ...all] : all).join(", ") || "(none)"}`,
          timeoutMs,
          queues: waitOn,
          check,
          onTimeout: () => empty,
        },
      };
    },
  };
}
