/**
 * The network's syscalls (`sock_*`), registered on the kernel by `registerNetSyscalls`.
 *
 * The network itself never blocks; here a call that gets EAGAIN either fails at once
 * (non-blocking socket: BlockingIOError) or parks on the socket's WaitQueue with the
 * caller's timeout. `Network.onReadiness` wakes that queue, the kernel re-runs the check,
 * and SIGINT / kill cancel the wait like any other kernel wait. A timeout raises
 * TimeoutError("timed out"), which is what CPython's socket.timeout is.
 *
 * Established TCP connections move their bytes through socket rings in the shared heap
 * (./sock-ring.ts): workers send and recv there directly and only come here when a ring
 * flag says the state machine must decide. A caller parked here on a socket sets the
 * rings' WATCH word first, so a worker that moves bytes then posts `sock_kick`.
 */
import { Errno, KernelError } from "../errors";
import type { Kernel } from "../kernel";
import {
  argBool,
  argInt,
    argStr,
  argTimeout,
  type JsonObject,
  type SyscallCall,
  type SyscallOutcome,
  type SyscallResult,
} from "../syscalls";
import { queueIn, WaitQueue } from "../wait-queue";
import { formatAddr } from "./addr";
import { failErrno, type NetResult } from "./result";
import type { Network } from "./network";
import { multiplexSyscalls, type StdinSource } from "./multiplex";
import { POLLERR, POLLHUP, POLLOUT, type Proto, type SockAddr, type SockOpt } from "./types";

const SOCKOPTS: readonly SockOpt[] = ["SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE", "SO_RCVBUF", "SO_SNDBUF", "SO_ERROR", "SO_TYPE", "SO_BROADCAST", "TCP_NODELAY"];

/** A NetResult's value, or the KernelError Python turns into OSError(errno, text). */
function must<T>(r: NetResult<T>): T {
  if (r.ok) return r.value;
  throw new KernelError("OSError", r.errno, r.message);
}

/** A call's `at`: the descriptor number the new socket must get (see Descriptors.install), if any. */
function argAt(args: JsonObject): number | undefined {
  return args.at === undefined || args.at === null ? undefined : argInt(args, "at");
}

function timedOut(): KernelError {
  return new KernelError("TimeoutError", null, "timed out");
}

function addr(a: SockAddr | null): JsonObject | null {
  return a ? { host: a.host, port: a.port } : null;
}

/** Registers the `sock_*` syscalls and hooks process exit; returns a dispose function. */
export function registerNetSyscalls(kernel: Kernel, net: Network, stdinOf?: (pid: number) => StdinSource): () => void {
  const queues = new Map<number, WaitQueue>();
  const queueOf = (sock: number): WaitQueue => queueIn(queues, sock);
  const offReady = net.onReadiness((sock) => {
    const q = queues.get(sock);
    if (!q) return;
    q.wakeAll();
    if (q.size === 0) {
      queues.delete(sock);
      net.watch(sock, false);
    }
  });
  /** The wait queue of `sock`, with its rings watched (set before the last check: no lost kick). */
  const watchedQueue = (sock: number): WaitQueue => {
    net.watch(sock, true);
    return queueOf(sock);
  };
  const offEvents = net.onEvent((e) => kernel.emit(e));
  kernel.onProcessExit((pid) => net.exitProcess(pid));

  const sockId = (pid: number, fd: number): number => {
    const id = net.sockOf(pid, fd);
    if (id === null) throw KernelError.os("EBADF");
    return id;
  };
  const label = (pid: number, fd: number, what: string): string => {
    const name = net.getsockname(pid, fd);
    return `socket fd ${fd} ${name.ok ? formatAddr(name.value) : ""} (${what})`.replace("  ", " ");
  };

  /**
   * Runs `attempt` now; if it would block (EAGAIN), either fails (non-blocking) or parks
   * on the socket until `attempt` stops saying EAGAIN, or the timeout expires.
   */
  function blocking(call: SyscallCall, fd: number, what: string, attempt: () => NetResult<SyscallResult>): SyscallOutcome {
    const first = attempt();
    if (first.ok) return first.value;
    if (first.errno !== Errno.EAGAIN || argBool(call.args, "nonblock")) return must(first);
    const check = (): SyscallResult | undefined => {
      const r = attempt();
      if (r.ok) return r.value;
      if (r.errno === Errno.EAGAIN) return undefined;
      return must(r);
    };
    const queue = watchedQueue(sockId(call.pid, fd));
    const again = check();
    if (again) return again;
    return {
      block: {
        on: "socket",
        object: label(call.pid, fd, what),
        timeoutMs: argTimeout(call.args),
        queues: [queue],
        check,
        onTimeout: timedOut,
      },
    };
  }

  kernel.syscalls.register("net", {
    sock_socket({ pid, args }: SyscallCall): SyscallOutcome {
      const proto = argStr(args, "proto");
      if (proto !== "tcp" && proto !== "udp") throw KernelError.os("ESOCKTNOSUPPORT");
      return { value: must(net.socket(pid, proto as Proto, argAt(args))) };
    },

    sock_close({ pid, args }: SyscallCall): SyscallOutcome {
      must(net.close(pid, argInt(args, "fd")));
      return { value: null };
    },

    sock_bind({ pid, args }: SyscallCall): SyscallOutcome {
      must(net.bind(pid, argInt(args, "fd"), argStr(args, "host"), argInt(args, "port")));
      return { value: null };
    },

    sock_listen({ pid, args }: SyscallCall): SyscallOutcome {
      must(net.listen(pid, argInt(args, "fd"), argInt(args, "backlog")));
      return { value: null };
    },

    /** connect: waits while the SYN sits in a full backlog (EINPROGRESS), then reports SO_ERROR. */
    sock_connect(call: SyscallCall): SyscallOutcome {
      const { pid, args } = call;
      const fd = argInt(args, "fd");
      const nonblock = argBool(args, "nonblock");
      const r = net.connect(pid, fd, argStr(args, "host"), argInt(args, "port"), nonblock);
      if (r.ok) return { value: null };
      if (r.errno !== Errno.EINPROGRESS || nonblock) return must(r);
      return blocking(call, fd, "connect", () => {
        const mask = must(net.poll(pid, fd));
        if (!(mask & (POLLOUT | POLLERR | POLLHUP))) return failErrno(Errno.EAGAIN);
        const err = must(net.getsockopt(pid, fd, "SO_ERROR"));
        if (err) return failErrno(err);
        return { ok: true, value: { value: null } };
      });
    },

    sock_accept(call: SyscallCall): SyscallOutcome {
      const fd = argInt(call.args, "fd");
      return blocking(call, fd, "accept", () => {
        const r = net.accept(call.pid, fd, argAt(call.args));
        return r.ok ? { ok: true, value: { value: { fd: r.value.fd, ...addr(r.value.addr) } } } : r;
      });
    },

    /** send: as many bytes as fit (at least one, waiting for room if needed). */
    sock_send(call: SyscallCall): SyscallOutcome {
      const fd = argInt(call.args, "fd");
      const data = call.bytes ?? new Uint8Array(0);
      const to = call.args.host !== undefined && call.args.host !== null ? { host: argStr(call.args, "host"), port: argInt(call.args, "port") } : null;
      return blocking(call, fd, "send", () => {
        const r = to ? net.sendto(call.pid, fd, data, to.host, to.port) : net.send(call.pid, fd, data);
        return r.ok ? { ok: true, value: { value: r.value } } : r;
      });
    },

    /** sendall: waits until every byte is queued; the timeout covers the whole call (CPython ≥ 3.5). */
    sock_sendall(call: SyscallCall): SyscallOutcome {
      const fd = argInt(call.args, "fd");
      const data = call.bytes ?? new Uint8Array(0);
      let sent = 0;
      return blocking(call, fd, "sendall", () => {
        while (sent < data.length) {
          const r = net.send(call.pid, fd, data.subarray(sent));
          if (!r.ok) return r;
          sent += r.value;
        }
        return { ok: true, value: { value: sent } };
      });
    },

    sock_recv(call: SyscallCall): SyscallOutcome {
      const fd = argInt(call.args, "fd");
      const n = argInt(call.args, "n");
      const peek = argBool(call.args, "peek");
      const from = argBool(call.args, "from");
      return blocking(call, fd, "recv", () => {
        const r = net.recvfrom(call.pid, fd, n, peek);
        if (!r.ok) return r;
        return { ok: true, value: { value: from ? addr(r.value.addr) : null, bytes: r.value.data } };
      });
    },

    /** The socket rings of a connected TCP descriptor ({rx, tx} heap indices; zeros: none; null: not connected). */
    sock_rings({ pid, args }: SyscallCall): SyscallOutcome {
      sockId(pid, argInt(args, "fd"));
      const rings = net.ringsOf(pid, argInt(args, "fd"));
      // Either end's program may use a connection's rings (the peer may be another program).
      if (rings) for (const base of [rings.rx, rings.tx]) if (base) kernel.heap.grant(base << 2, kernel.programOf(pid));
      return { value: rings };
    },

    /** Fire-and-forget from a worker that moved bytes through a watched ring. */
    sock_kick({ args }: SyscallCall): SyscallOutcome {
      net.kick(argInt(args, "ring"));
      return { value: null };
    },

    sock_shutdown({ pid, args }: SyscallCall): SyscallOutcome {
      must(net.shutdown(pid, argInt(args, "fd"), argInt(args, "how")));
      return { value: null };
    },

    sock_getsockname({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: addr(must(net.getsockname(pid, argInt(args, "fd")))) };
    },

    sock_getpeername({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: addr(must(net.getpeername(pid, argInt(args, "fd")))) };
    },

    sock_setsockopt({ pid, args }: SyscallCall): SyscallOutcome {
      const opt = argStr(args, "opt") as SockOpt;
      if (!SOCKOPTS.includes(opt)) throw KernelError.os("ENOPROTOOPT");
      must(net.setsockopt(pid, argInt(args, "fd"), opt, argInt(args, "value")));
      return { value: null };
    },

    sock_getsockopt({ pid, args }: SyscallCall): SyscallOutcome {
      const opt = argStr(args, "opt") as SockOpt;
      if (!SOCKOPTS.includes(opt)) throw KernelError.os("ENOPROTOOPT");
      return { value: must(net.getsockopt(pid, argInt(args, "fd"), opt)) };
    },

    sock_dup({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: must(net.dup(pid, argInt(args, "fd"), argAt(args))) };
    },

    /** Pickling a socket for another process: a ticket that keeps the connection open until claimed. */
    sock_share({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: must(net.share(pid, argInt(args, "fd"))) };
    },

    sock_claim({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: must(net.claim(pid, argInt(args, "ticket"), argAt(args))) };
    },

    ...multiplexSyscalls(net, sockId, watchedQueue, stdinOf),
  });

  return () => {
    offReady();
    offEvents();
    queues.clear();
  };
}
