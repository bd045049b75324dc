/**
 * The sock_* syscalls on a real kernel with a recording host: blocking calls park and
 * complete on readiness, time out with TimeoutError, are interrupted by SIGINT, and a
 * process that exits closes its sockets.
 */
import { describe, expect, it } from "vitest";
import { createKernel, type KernelHost, type SyscallReply } from "../index";
import type { JsonObject } from "../syscalls";

function setup() {
  const replies = new Map<number, SyscallReply[]>();
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  let now = 0;
  const host: KernelHost = {
    now: () => now,
    setTimer: (ms, fn) => {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
    startProcess: () => {},
    endProcess: () => {},
    reply: (pid, r) => replies.set(pid, [...(replies.get(pid) ?? []), r]),
    interrupt: () => true,
    takeInterrupt: () => 0,
  };
  const parts = createKernel(host);
  const { kernel } = parts;
  const a = kernel.spawn(1, "server", false, { args: {}, bytes: null });
  const b = kernel.spawn(1, "client", false, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: JsonObject, bytes: Uint8Array | null = null): SyscallReply | undefined => {
    const before = replies.get(pid)?.length ?? 0;
    kernel.syscall(pid, name, args, bytes, true);
    const list = replies.get(pid) ?? [];
    return list.length > before ? list[list.length - 1] : undefined;
  };
  const last = (pid: number) => replies.get(pid)?.at(-1);
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers) if (t.live && t.at <= now) {
      t.live = false;
      t.fn();
    }
  };
  const value = (r: SyscallReply | undefined): unknown => {
    if (!r || !r.ok) throw new Error(`expected success, got ${JSON.stringify(r)}`);
    return r.value;
  };
  /** A listener in `a` on port 6000 and a connected pair: a's accepted fd, b's fd. */
  const pair = () => {
    const l = value(call(a, "sock_socket", { proto: "tcp" })) as number;
    value(call(a, "sock_bind", { fd: l, host: "127.0.0.1", port: 6000 }));
    value(call(a, "sock_listen", { fd: l, backlog: 5 }));
    const c = value(call(b, "sock_socket", { proto: "tcp" })) as number;
    value(call(b, "sock_connect", { fd: c, host: "localhost", port: 6000, nonblock: false, timeoutMs: null }));
    const s = (value(call(a, "sock_accept", { fd: l, nonblock: false, timeoutMs: null })) as { fd: number }).fd;
    return { l, s, c };
  };
  return { kernel, parts, a, b, call, last, advance, value, pair };
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe("registerNetSyscalls", () => {
  describe("sock_recv", () => {
    it("should park the caller until data arrives, and report the block on the event stream", () => {
      const { kernel, a, b, call, last, pair } = setup();
      const events: string[] = [];
      kernel.events.on((e) => {
        if (e.type === "block" || e.type === "unblock") events.push(`${e.type}:${e.on}`);
      });
      const { s, c } = pair();
      expect(call(a, "sock_recv", { fd: s, n: 10, nonblock: false, timeoutMs: null })).toBeUndefined();
      expect(kernel.table.get(a)?.state).toBe("blocked");
      call(b, "sock_sendall", { fd: c, nonblock: false, timeoutMs: null }, bytes("hi"));
      const r = last(a);
      expect(r?.ok && new TextDecoder().decode(r.bytes ?? new Uint8Array())).toBe("hi");
      expect(events).toEqual(["block:socket", "unblock:socket"]);
    });

    it("should fail at once with errno 11 when non-blocking", () => {
      const { a, call, pair } = setup();
      const { s } = pair();
      const r = call(a, "sock_recv", { fd: s, n: 10, nonblock: true, timeoutMs: null });
      expect(r?.ok).toBe(false);
      expect(r && !r.ok && r.error.errno).toBe(11);
    });

    it("should raise TimeoutError('timed out') when the timeout expires", () => {
      const { a, call, last, advance, pair } = setup();
      const { s } = pair();
      expect(call(a, "sock_recv", { fd: s, n: 10, nonblock: false, timeoutMs: 200 })).toBeUndefined();
      advance(199);
      expect(last(a)?.ok).toBe(true); // still the accept reply: nothing new yet
      advance(1);
      const r = last(a);
      expect(r && !r.ok && r.error).toEqual({ pyType: "TimeoutError", errno: null, message: "timed out" });
    });

    it("should be interrupted by SIGINT with EINTR for signal 2 (KeyboardInterrupt in Python)", () => {
      const { kernel, a, call, last, pair } = setup();
      const { s } = pair();
      call(a, "sock_recv", { fd: s, n: 10, nonblock: false, timeoutMs: null });
      kernel.signal(a, 2, 1);
      const r = last(a);
      expect(r && !r.ok && r.error).toMatchObject({ pyType: "InterruptedError", errno: 4, signal: 2 });
    });

    it("should wake a blocked reader with end of file when the peer process dies", () => {
      const { kernel, a, b, call, last, pair } = setup();
      const { s } = pair();
      call(a, "sock_recv", { fd: s, n: 10, nonblock: false, timeoutMs: null });
      kernel.exit(b, -9);
      const r = last(a);
      expect(r?.ok && r.bytes?.length).toBe(0);
    });
  });

  describe("sock_sendall", () => {
    it("should wait for room and finish once the reader drains the connection", () => {
      const { a, b, call, last, pair } = setup();
      const { s, c } = pair();
      const big = new Uint8Array(400_000);
      expect(call(b, "sock_sendall", { fd: c, nonblock: false, timeoutMs: null }, big)).toBeUndefined();
      let got = 0;
      while (got < big.length) {
        const r = call(a, "sock_recv", { fd: s, n: 65536, nonblock: false, timeoutMs: null });
        if (!r?.ok) throw new Error("recv failed");
        got += r.bytes?.length ?? 0;
      }
      expect(last(b)).toEqual({ ok: true, value: 400_000, bytes: null });
    });
  });

  describe("sock_connect", () => {
    it("should raise ConnectionRefusedError's errno 111 and say there is no outside network for other hosts", () => {
      const { b, call } = setup();
      const fd = call(b, "sock_socket", { proto: "tcp" });
      const refused = call(b, "sock_connect", { fd: fd?.ok ? fd.value : -1, host: "127.0.0.1", port: 1, nonblock: false, timeoutMs: null });
      expect(refused && !refused.ok && refused.error.errno).toBe(111);
      const outside = call(b, "sock_connect", { fd: fd?.ok ? fd.value : -1, host: "8.8.8.8", port: 53, nonblock: false, timeoutMs: null });
      expect(outside && !outside.ok && outside.error.message).toMatch(/no outside network/);
    });
  });

  describe("sock_select and sock_poll", () => {
    it("should wait on several sockets and return the ready ones", () => {
      const { a, b, call, last, pair } = setup();
      const { s, c, l } = pair();
      expect(call(a, "sock_select", { r: [s, l], w: [], x: [], timeoutMs: null })).toBeUndefined();
      call(b, "sock_sendall", { fd: c, nonblock: false, timeoutMs: null }, bytes("x"));
      expect(last(a)).toEqual({ ok: true, value: { r: [s], w: [], x: [] }, bytes: null });
      expect(call(a, "sock_poll", { fds: [s, l], events: [1, 1], timeoutMs: 0 })).toEqual({ ok: true, value: [[s, 1]], bytes: null });
    });

    it("should return empty lists when the timeout expires, and EBADF for a closed descriptor", () => {
      const { a, call, last, advance, pair } = setup();
      const { s } = pair();
      call(a, "sock_select", { r: [s], w: [], x: [], timeoutMs: 50 });
      advance(50);
      expect(last(a)).toEqual({ ok: true, value: { r: [], w: [], x: [] }, bytes: null });
      const bad = call(a, "sock_select", { r: [99], w: [], x: [], timeoutMs: 0 });
      expect(bad && !bad.ok && bad.error.errno).toBe(9);
    });
  });

  describe("sock_share and sock_claim", () => {
    it("should hand a socket to another process that keeps it open after the sender closes", () => {
      const { kernel, a, b, call, value, pair } = setup();
      const { s, c } = pair();
      const child = kernel.spawn(a, "child", false, { args: {}, bytes: null });
      const ticket = value(call(a, "sock_share", { fd: s })) as number;
      value(call(a, "sock_close", { fd: s }));
      const fd = value(call(child, "sock_claim", { ticket })) as number;
      value(call(b, "sock_sendall", { fd: c, nonblock: false, timeoutMs: null }, bytes("to the child")));
      const r = call(child, "sock_recv", { fd, n: 100, nonblock: true, timeoutMs: null });
      expect(r?.ok && new TextDecoder().decode(r.bytes ?? new Uint8Array())).toBe("to the child");
    });
  });

  describe("descriptor numbers", () => {
    it("should give a new socket the number the worker asks for (`at`), closing what it named, as dup2 does", () => {
      const { parts, a, call, value } = setup();
      expect(value(call(a, "sock_socket", { proto: "tcp" }))).toBe(3);
      // The process has files at 4 and 5 in its own table: its next socket is 6.
      const six = value(call(a, "sock_socket", { proto: "udp", at: 6 })) as number;
      expect(six).toBe(6);
      expect(value(call(a, "sock_dup", { fd: 3, at: 7 }))).toBe(7);
      expect(value(call(a, "sock_socket", { proto: "tcp" }))).toBe(4);
      // At a number a socket has: that descriptor closes first, and the table keeps its size.
      const open = parts.net.fds(a);
      expect(value(call(a, "sock_dup", { fd: 3, at: 6 }))).toBe(6);
      expect(parts.net.fds(a)).toEqual(open);
      expect(value(call(a, "sock_getsockopt", { fd: 6, opt: "SO_TYPE" }))).toBe(1);
      const bad = call(a, "sock_socket", { proto: "tcp", at: 2 });
      expect(bad && !bad.ok && bad.error.errno).toBe(9);
    });
  });

  describe("events", () => {
    it("should put connection states on the kernel event stream", () => {
      const { kernel, pair } = setup();
      const states: string[] = [];
      kernel.events.on((e) => {
        if (e.type === "net.state") states.push(e.state);
      });
      pair();
      expect(states).toEqual(["LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "ESTABLISHED"]);
    });
  });
});
