/**
 * poll(2) and select(2) over sockets: a process parks on the wait queues of every socket it
 * asked about at once, and the kernel re-checks all of them when any one changes.
 */
import { argInts, argTimeout, type SyscallCall, type SyscallOutcome, type SyscallResult } from "../syscalls";
import type { WaitQueue } from "../wait-queue";
import type { Network } from "./network";
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from "./types";

// select(2)'s mapping of poll bits (Linux fs/select.c).
const SELECT_IN = POLLIN | POLLHUP | POLLERR;
const SELECT_OUT = POLLOUT | POLLERR;

/**
 * The `sock_poll` and `sock_select` syscalls. `sockId` is the endpoint behind a descriptor
 * (EBADF when none); `watchedQueue` its wait queue, with its socket rings watched.
 */
export function multiplexSyscalls(net: Network, sockId: (pid: number, fd: number) => number, watchedQueue: (sock: number) => WaitQueue) {
  return {
    /** poll(2) over sockets: fds[i] with events[i] → [[fd, revents], …] of the ready ones. */
    sock_poll(call: SyscallCall): SyscallOutcome {
      const { pid, args } = call;
      const fds = argInts(args, "fds");
      const events = argInts(args, "events");
      const ids = fds.map((fd) => net.sockOf(pid, fd));
      const check = (): SyscallResult | undefined => {
        const ready: number[][] = [];
        fds.forEach((fd, i) => {
          const m = net.poll(pid, fd);
          const revents = m.ok ? m.value & (events[i] | POLLERR | POLLHUP) : POLLNVAL;
          if (revents) ready.push([fd, revents]);
        });
        return ready.length > 0 ? { value: ready } : undefined;
      };
      const now = check();
      if (now) return now;
      const timeoutMs = argTimeout(args);
      if (timeoutMs === 0) return { value: [] };
      const waitOn = ids.flatMap((id) => (id === null ? [] : [watchedQueue(id)]));
      const again = check();
      if (again) return again;
      return {
        block: {
          on: "socket",
          object: `poll on fds ${fds.join(", ") || "(none)"}`,
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
      const check = (): SyscallResult | undefined => {
        const mask = (fd: number): number => {
          const m = net.poll(pid, fd);
          return m.ok ? m.value : POLLERR; // closed meanwhile: report it, the next call raises EBADF
        };
        const rr = r.filter((fd) => mask(fd) & SELECT_IN);
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
      const again = check();
      if (again) return again;
      return {
        block: {
          on: "socket",
          object: `select on fds ${all.join(", ") || "(none)"}`,
          timeoutMs,
          queues: waitOn,
          check,
          onTimeout: () => empty,
        },
      };
    },
  };
}
