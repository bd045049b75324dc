/**
 * The loopback Network's behaviour, socket call by socket call, run twice: with kernel
 * buffers and with socket rings in a shared heap (the same behaviour must hold). Long
 * because it is the spec of the whole socket API; sock-ring.test.ts and syscalls.test.ts
 * cover the rings' byte operations and the blocking layer.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { SharedHeap } from "../shared-heap";
import { Errno } from "../errors";
import { Network } from "./network";
import { FakeTimers, dec, enc, errno, val } from "./testing";
import { POLLERR, POLLHUP, POLLIN, POLLOUT, SHUT_RD, SHUT_WR, type NetEvent, type SocketState } from "./types";

const SERVER = 10;
const CLIENT = 20;

/** Set per suite below: the same behaviour must hold with kernel buffers and with socket rings. */
let withRings = false;

function setup(options: { timeWaitMs?: number } = {}) {
  const timers = new FakeTimers();
  const heap = withRings ? new SharedHeap(16 << 20) : undefined;
  const net = new Network({ timers, timeWaitMs: options.timeWaitMs ?? 60_000, heap });
  const events: NetEvent[] = [];
  net.onEvent((e) => events.push(e));
  return { net, timers, events };
}

/** A listening server on `port`, a connected client and the accepted connection. */
function connected(net: Network, port = 5000) {
  const lfd = val(net.socket(SERVER, "tcp"));
  val(net.bind(SERVER, lfd, "127.0.0.1", port));
  val(net.listen(SERVER, lfd, 5));
  const cfd = val(net.socket(CLIENT, "tcp"));
  val(net.connect(CLIENT, cfd, "localhost", port));
  const { fd: sfd } = val(net.accept(SERVER, lfd));
  return { lfd, cfd, sfd };
}

function stateOf(net: Network, pid: number, fd: number): SocketState | undefined {
  const id = net.sockOf(pid, fd);
  return net.snapshot().find((s) => s.sock === id)?.state;
}

describe.each([
  ["kernel buffers", false],
  ["socket rings in a shared heap", true],
])("Network (%s)", (_name, rings) => {
  beforeEach(() => {
    withRings = rings;
  });

  describe("bind", () => {
    it("should treat 127.0.0.1, localhost, 0.0.0.0 and '' as this machine", () => {
      const { net } = setup();
      for (const [i, host] of ["127.0.0.1", "localhost", "0.0.0.0", ""].entries()) {
        const fd = val(net.socket(SERVER, "tcp"));
        val(net.bind(SERVER, fd, host, 6000 + i));
        expect(val(net.getsockname(SERVER, fd)).port).toBe(6000 + i);
      }
    });

    it("should report '' and 0.0.0.0 as the wildcard and localhost as 127.0.0.1", () => {
      const { net } = setup();
      const a = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, a, "", 7000));
      expect(val(net.getsockname(SERVER, a))).toEqual({ host: "0.0.0.0", port: 7000 });
      const b = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, b, "localhost", 7001));
      expect(val(net.getsockname(SERVER, b))).toEqual({ host: "127.0.0.1", port: 7001 });
    });

    it("should pick a free ephemeral port for port 0", () => {
      const { net } = setup();
      const ports = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const fd = val(net.socket(SERVER, "tcp"));
        val(net.bind(SERVER, fd, "127.0.0.1", 0));
        const { port } = val(net.getsockname(SERVER, fd));
        expect(port).toBeGreaterThanOrEqual(32768);
        expect(port).toBeLessThanOrEqual(60999);
        ports.add(port);
      }
      expect(ports.size).toBe(20);
    });

    it("should fail with EADDRINUSE (98) when the port is taken", () => {
      const { net } = setup();
      connected(net, 5000);
      const fd = val(net.socket(3, "tcp"));
      const r = net.bind(3, fd, "0.0.0.0", 5000);
      expect(errno(r)).toBe(98);
      expect(r.ok ? "" : r.message).toBe("Address already in use");
    });

    it("should refuse a second listener even with SO_REUSEADDR on both", () => {
      const { net } = setup();
      const a = val(net.socket(SERVER, "tcp"));
      val(net.setsockopt(SERVER, a, "SO_REUSEADDR", 1));
      val(net.bind(SERVER, a, "127.0.0.1", 5000));
      val(net.listen(SERVER, a, 5));
      const b = val(net.socket(SERVER, "tcp"));
      val(net.setsockopt(SERVER, b, "SO_REUSEADDR", 1));
      expect(errno(net.bind(SERVER, b, "127.0.0.1", 5000))).toBe(Errno.EADDRINUSE);
    });

    it("should allow rebinding a port held by live accepted connections only with SO_REUSEADDR", () => {
      const { net } = setup();
      const { lfd } = connected(net, 5000);
      val(net.close(SERVER, lfd)); // the server restarts while a connection is still open
      const plain = val(net.socket(SERVER, "tcp"));
      expect(errno(net.bind(SERVER, plain, "127.0.0.1", 5000))).toBe(98);
      const reuse = val(net.socket(SERVER, "tcp"));
      val(net.setsockopt(SERVER, reuse, "SO_REUSEADDR", 1));
      // The accepted socket inherited the listener's SO_REUSEADDR = 0, so Linux still refuses.
      expect(errno(net.bind(SERVER, reuse, "127.0.0.1", 5000))).toBe(98);
    });

    it("should keep a port in TIME_WAIT busy unless SO_REUSEADDR is set on both sockets, and free it after TIME_WAIT", () => {
      const { net, timers } = setup({ timeWaitMs: 1000 });
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.setsockopt(SERVER, lfd, "SO_REUSEADDR", 1)); // inherited by the accepted connection
      val(net.bind(SERVER, lfd, "127.0.0.1", 5000));
      val(net.listen(SERVER, lfd, 5));
      const cfd = val(net.socket(CLIENT, "tcp"));
      val(net.connect(CLIENT, cfd, "localhost", 5000));
      const { fd: sfd } = val(net.accept(SERVER, lfd));
      val(net.close(SERVER, sfd)); // the server closes first: it ends up in TIME_WAIT
      val(net.close(SERVER, lfd));
      val(net.close(CLIENT, cfd));
      expect(net.snapshot().map((s) => s.state)).toEqual(["TIME_WAIT"]);
      const plain = val(net.socket(SERVER, "tcp"));
      expect(errno(net.bind(SERVER, plain, "", 5000))).toBe(98);
      const reuse = val(net.socket(SERVER, "tcp"));
      val(net.setsockopt(SERVER, reuse, "SO_REUSEADDR", 1));
      val(net.bind(SERVER, reuse, "", 5000));
      val(net.close(SERVER, reuse));
      timers.advance(1000);
      expect(net.snapshot().filter((s) => s.state === "TIME_WAIT")).toEqual([]);
      val(net.bind(SERVER, plain, "", 5000));
    });

    it("should refuse SO_REUSEADDR a port whose TIME_WAIT came from a listener without it, as Linux does", () => {
      const { net } = setup({ timeWaitMs: 1000 });
      const { lfd, sfd, cfd } = connected(net, 5000);
      val(net.close(SERVER, sfd));
      val(net.close(SERVER, lfd));
      val(net.close(CLIENT, cfd));
      const reuse = val(net.socket(SERVER, "tcp"));
      val(net.setsockopt(SERVER, reuse, "SO_REUSEADDR", 1));
      expect(errno(net.bind(SERVER, reuse, "127.0.0.1", 5000))).toBe(98);
    });

    it("should give EADDRNOTAVAIL with a no-outside-network message for other addresses", () => {
      const { net } = setup();
      const fd = val(net.socket(SERVER, "tcp"));
      const r = net.bind(SERVER, fd, "192.168.1.10", 80);
      expect(errno(r)).toBe(Errno.EADDRNOTAVAIL);
      expect(r.ok ? "" : r.message).toMatch(/no outside network/);
    });

    it("should fail with EINVAL when bound twice or given a bad port", () => {
      const { net } = setup();
      const fd = val(net.socket(SERVER, "tcp"));
      expect(errno(net.bind(SERVER, fd, "", 70000))).toBe(Errno.EINVAL);
      val(net.bind(SERVER, fd, "", 5000));
      expect(errno(net.bind(SERVER, fd, "", 5001))).toBe(Errno.EINVAL);
    });
  });

  describe("connect", () => {
    it("should fail with ECONNREFUSED (111) when nobody listens", () => {
      const { net } = setup();
      const fd = val(net.socket(CLIENT, "tcp"));
      const r = net.connect(CLIENT, fd, "127.0.0.1", 5000);
      expect(errno(r)).toBe(111);
      expect(r.ok ? "" : r.message).toBe("Connection refused");
    });

    it("should fail with ENETUNREACH and say the page has no outside network", () => {
      const { net } = setup();
      const fd = val(net.socket(CLIENT, "tcp"));
      const r = net.connect(CLIENT, fd, "93.184.216.34", 80);
      expect(errno(r)).toBe(Errno.ENETUNREACH);
      expect(r.ok ? "" : r.message).toMatch(/this page has no outside network/);
    });

    it("should reach a listener bound to the wildcard through 127.0.0.1 and set both addresses", () => {
      const { net } = setup();
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, lfd, "", 5000));
      val(net.listen(SERVER, lfd, 1));
      const cfd = val(net.socket(CLIENT, "tcp"));
      val(net.connect(CLIENT, cfd, "127.0.0.1", 5000));
      const { fd: sfd, addr } = val(net.accept(SERVER, lfd));
      const client = val(net.getsockname(CLIENT, cfd));
      expect(client.host).toBe("127.0.0.1");
      expect(addr).toEqual(client);
      expect(val(net.getpeername(CLIENT, cfd))).toEqual({ host: "127.0.0.1", port: 5000 });
      expect(val(net.getsockname(SERVER, sfd))).toEqual({ host: "127.0.0.1", port: 5000 });
    });

    it("should fail with EISCONN on a connected or listening socket", () => {
      const { net } = setup();
      const { cfd, lfd } = connected(net);
      expect(errno(net.connect(CLIENT, cfd, "127.0.0.1", 5000))).toBe(Errno.EISCONN);
      expect(errno(net.connect(SERVER, lfd, "127.0.0.1", 5000))).toBe(Errno.EISCONN);
    });

    it("should report SYN_SENT then ESTABLISHED, and SYN_RECEIVED then ESTABLISHED for the server side", () => {
      const { net, events } = setup();
      const { cfd, sfd } = connected(net);
      const client = net.sockOf(CLIENT, cfd);
      const server = net.sockOf(SERVER, sfd);
      const states = (id: number | null) => events.flatMap((e) => (e.type === "net.state" && e.sock === id ? [e.state] : []));
      expect(states(client)).toEqual(["SYN_SENT", "ESTABLISHED"]);
      expect(states(server)).toEqual(["SYN_RECEIVED", "ESTABLISHED"]);
      expect(events.some((e) => e.type === "net.state" && e.state === "LISTEN")).toBe(true);
    });
  });

  describe("listen and accept", () => {
    it("should hold backlog + 1 connections and keep further SYNs waiting (EINPROGRESS) until accept makes room", () => {
      const { net } = setup();
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, lfd, "", 5000));
      val(net.listen(SERVER, lfd, 1));
      const c = [0, 1, 2].map(() => val(net.socket(CLIENT, "tcp")));
      val(net.connect(CLIENT, c[0], "127.0.0.1", 5000));
      val(net.connect(CLIENT, c[1], "127.0.0.1", 5000));
      expect(errno(net.connect(CLIENT, c[2], "127.0.0.1", 5000))).toBe(Errno.EINPROGRESS);
      expect(stateOf(net, CLIENT, c[2])).toBe("SYN_SENT");
      expect(val(net.poll(CLIENT, c[2])) & POLLOUT).toBe(0);
      expect(errno(net.connect(CLIENT, c[2], "127.0.0.1", 5000))).toBe(Errno.EALREADY);
      val(net.accept(SERVER, lfd));
      expect(stateOf(net, CLIENT, c[2])).toBe("ESTABLISHED");
      expect(val(net.poll(CLIENT, c[2])) & POLLOUT).toBe(POLLOUT);
      expect(val(net.getsockopt(CLIENT, c[2], "SO_ERROR"))).toBe(0);
    });

    it("should return EAGAIN when no connection is waiting and POLLIN when one is", () => {
      const { net } = setup();
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, lfd, "", 5000));
      val(net.listen(SERVER, lfd, 5));
      expect(errno(net.accept(SERVER, lfd))).toBe(Errno.EAGAIN);
      expect(val(net.poll(SERVER, lfd))).toBe(0);
      val(net.connect(CLIENT, val(net.socket(CLIENT, "tcp")), "127.0.0.1", 5000));
      expect(val(net.poll(SERVER, lfd))).toBe(POLLIN);
    });

    it("should fail with EINVAL when accepting on a socket that is not listening", () => {
      const { net } = setup();
      const fd = val(net.socket(SERVER, "tcp"));
      expect(errno(net.accept(SERVER, fd))).toBe(Errno.EINVAL);
    });

    it("should reset queued connections and refuse waiting SYNs when the listener closes", () => {
      const { net } = setup();
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, lfd, "", 5000));
      val(net.listen(SERVER, lfd, 0));
      const queued = val(net.socket(CLIENT, "tcp"));
      val(net.connect(CLIENT, queued, "127.0.0.1", 5000));
      const waiting = val(net.socket(CLIENT, "tcp"));
      expect(errno(net.connect(CLIENT, waiting, "127.0.0.1", 5000))).toBe(Errno.EINPROGRESS);
      val(net.close(SERVER, lfd));
      expect(errno(net.recv(CLIENT, queued, 10))).toBe(Errno.ECONNRESET);
      const ready: number[] = [];
      net.onReadiness((sock) => ready.push(sock));
      expect(val(net.getsockopt(CLIENT, waiting, "SO_ERROR"))).toBe(Errno.ECONNREFUSED);
      // Reading SO_ERROR clears it: its readiness changed, and a waiter must re-check.
      expect(ready).toEqual([net.sockOf(CLIENT, waiting)]);
    });

    it("should autobind an ephemeral port when listening unbound", () => {
      const { net } = setup();
      const fd = val(net.socket(SERVER, "tcp"));
      val(net.listen(SERVER, fd, 5));
      expect(val(net.getsockname(SERVER, fd)).port).toBeGreaterThanOrEqual(32768);
    });
  });

  describe("send and recv", () => {
    it("should deliver bytes in order and let recv take them in any sizes", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(CLIENT, cfd, enc("hello ")));
      val(net.send(CLIENT, cfd, enc("world")));
      expect(dec(val(net.recv(SERVER, sfd, 3)))).toBe("hel");
      expect(dec(val(net.recv(SERVER, sfd, 100)))).toBe("lo world");
      expect(errno(net.recv(SERVER, sfd, 100))).toBe(Errno.EAGAIN);
    });

    it("should peek without consuming (MSG_PEEK)", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(CLIENT, cfd, enc("abc")));
      expect(dec(val(net.recv(SERVER, sfd, 2, true)))).toBe("ab");
      expect(dec(val(net.recv(SERVER, sfd, 10)))).toBe("abc");
    });

    it("should return b'' at end of file after the data, once the peer closed", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(CLIENT, cfd, enc("bye")));
      val(net.close(CLIENT, cfd));
      expect(dec(val(net.recv(SERVER, sfd, 100)))).toBe("bye");
      expect(val(net.recv(SERVER, sfd, 100)).length).toBe(0);
      expect(val(net.recv(SERVER, sfd, 100)).length).toBe(0);
      expect(val(net.poll(SERVER, sfd)) & POLLIN).toBe(POLLIN);
    });

    it("should keep what a client sent before it closed and exited for the accept() that comes later", () => {
      const { net } = setup();
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, lfd, "127.0.0.1", 5000));
      val(net.listen(SERVER, lfd, 5));
      const cfd = val(net.socket(CLIENT, "tcp"));
      val(net.connect(CLIENT, cfd, "localhost", 5000));
      val(net.send(CLIENT, cfd, enc("hello")));
      val(net.close(CLIENT, cfd));
      net.exitProcess(CLIENT);
      const { fd: sfd } = val(net.accept(SERVER, lfd));
      expect(dec(val(net.recv(SERVER, sfd, 100)))).toBe("hello");
      expect(val(net.recv(SERVER, sfd, 100)).length).toBe(0);
      val(net.close(SERVER, sfd));
      val(net.close(SERVER, lfd));
      expect(net.ringBytesInUse).toBe(0);
    });

    it("should apply backpressure: a full connection takes part of a send, then EAGAIN until the reader reads", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      const rcvbuf = val(net.getsockopt(SERVER, sfd, "SO_RCVBUF"));
      const sndbuf = val(net.getsockopt(CLIENT, cfd, "SO_SNDBUF"));
      expect(rcvbuf).toBeGreaterThanOrEqual(65536);
      expect(rcvbuf).toBeLessThanOrEqual(262144);
      const big = new Uint8Array(1 << 20);
      const taken = val(net.send(CLIENT, cfd, big));
      expect(taken).toBe(rcvbuf + sndbuf);
      expect(errno(net.send(CLIENT, cfd, big))).toBe(Errno.EAGAIN);
      expect(val(net.poll(CLIENT, cfd)) & POLLOUT).toBe(0);
      expect(val(net.recv(SERVER, sfd, 1000)).length).toBe(1000);
      expect(val(net.poll(CLIENT, cfd)) & POLLOUT).toBe(POLLOUT);
      expect(val(net.send(CLIENT, cfd, big))).toBe(1000);
    });

    it("should tell readiness listeners which sockets changed", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      const seen: number[] = [];
      net.onReadiness((id) => seen.push(id));
      val(net.send(CLIENT, cfd, enc("x")));
      expect(seen).toContain(net.sockOf(SERVER, sfd));
      seen.length = 0;
      val(net.recv(SERVER, sfd, 1));
      expect(seen).toContain(net.sockOf(CLIENT, cfd));
    });

    it("should report bytes in flight on the event stream", () => {
      const { net, events } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(CLIENT, cfd, enc("12345")));
      val(net.recv(SERVER, sfd, 2));
      const bytes = events.flatMap((e) => (e.type === "net.bytes" ? [e.inFlight] : []));
      expect(bytes).toEqual([5, 3]);
      expect(net.snapshot().find((s) => s.sock === net.sockOf(SERVER, sfd))?.recvQ).toBe(3);
    });

    it("should fail with ENOTCONN when receiving on an unconnected socket and EPIPE when sending on one", () => {
      const { net } = setup();
      const fd = val(net.socket(CLIENT, "tcp"));
      expect(errno(net.recv(CLIENT, fd, 10))).toBe(Errno.ENOTCONN);
      expect(errno(net.send(CLIENT, fd, enc("x")))).toBe(Errno.EPIPE);
      expect(errno(net.getpeername(CLIENT, fd))).toBe(Errno.ENOTCONN);
    });
  });

  describe("shutdown", () => {
    it("should half-close: SHUT_WR sends EOF but the other direction still works", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(CLIENT, cfd, enc("request")));
      val(net.shutdown(CLIENT, cfd, SHUT_WR));
      expect(stateOf(net, CLIENT, cfd)).toBe("FIN_WAIT_2");
      expect(stateOf(net, SERVER, sfd)).toBe("CLOSE_WAIT");
      expect(dec(val(net.recv(SERVER, sfd, 100)))).toBe("request");
      expect(val(net.recv(SERVER, sfd, 100)).length).toBe(0);
      val(net.send(SERVER, sfd, enc("reply")));
      expect(dec(val(net.recv(CLIENT, cfd, 100)))).toBe("reply");
      expect(errno(net.send(CLIENT, cfd, enc("more")))).toBe(Errno.EPIPE);
    });

    it("should walk CLOSE_WAIT → LAST_ACK → CLOSED and FIN_WAIT_2 → TIME_WAIT → CLOSED", () => {
      const { net, events, timers } = setup({ timeWaitMs: 500 });
      const { cfd, sfd } = connected(net);
      const cid = net.sockOf(CLIENT, cfd);
      const sid = net.sockOf(SERVER, sfd);
      val(net.close(CLIENT, cfd));
      val(net.close(SERVER, sfd));
      timers.advance(500);
      const states = (id: number | null) => events.flatMap((e) => (e.type === "net.state" && e.sock === id ? [e.state] : []));
      expect(states(cid)).toEqual(["SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"]);
      expect(states(sid)).toEqual(["SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"]);
    });

    it("should make recv return b'' at once after SHUT_RD", () => {
      const { net } = setup();
      const { cfd } = connected(net);
      val(net.shutdown(CLIENT, cfd, SHUT_RD));
      expect(val(net.recv(CLIENT, cfd, 10)).length).toBe(0);
    });

    it("should fail with ENOTCONN on an unconnected socket and EINVAL for a bad how", () => {
      const { net } = setup();
      const fd = val(net.socket(CLIENT, "tcp"));
      expect(errno(net.shutdown(CLIENT, fd, SHUT_WR))).toBe(Errno.ENOTCONN);
      const { cfd } = connected(net);
      expect(errno(net.shutdown(CLIENT, cfd, 7))).toBe(Errno.EINVAL);
    });
  });

  describe("resets", () => {
    it("should send RST when closing with unread data: the peer gets ECONNRESET, then EOF, and EPIPE on send", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(CLIENT, cfd, enc("unread")));
      val(net.close(SERVER, sfd));
      expect(stateOf(net, CLIENT, cfd)).toBe("CLOSED");
      expect(val(net.poll(CLIENT, cfd)) & (POLLERR | POLLHUP)).toBe(POLLERR | POLLHUP);
      expect(errno(net.recv(CLIENT, cfd, 10))).toBe(Errno.ECONNRESET);
      expect(val(net.recv(CLIENT, cfd, 10)).length).toBe(0);
      expect(errno(net.send(CLIENT, cfd, enc("x")))).toBe(Errno.EPIPE);
    });

    it("should make the first send after the peer closed succeed and the next fail with EPIPE (BrokenPipeError)", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.close(SERVER, sfd));
      expect(val(net.send(CLIENT, cfd, enc("one")))).toBe(3);
      expect(errno(net.send(CLIENT, cfd, enc("two")))).toBe(Errno.EPIPE);
      expect(errno(net.send(CLIENT, cfd, enc("three")))).toBe(Errno.EPIPE);
      expect(val(net.recv(CLIENT, cfd, 10)).length).toBe(0);
    });

    it("should report ECONNRESET to a sender whose established peer was reset", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(SERVER, sfd, enc("for the client")));
      val(net.close(CLIENT, cfd)); // unread data: RST
      expect(errno(net.send(SERVER, sfd, enc("x")))).toBe(Errno.ECONNRESET);
      expect(errno(net.send(SERVER, sfd, enc("x")))).toBe(Errno.EPIPE);
    });

    it("should still deliver data that arrived before the reset", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      val(net.send(SERVER, sfd, enc("early")));
      val(net.send(CLIENT, cfd, enc("unread by server")));
      val(net.close(SERVER, sfd));
      expect(dec(val(net.recv(CLIENT, cfd, 100)))).toBe("early");
      expect(errno(net.recv(CLIENT, cfd, 100))).toBe(Errno.ECONNRESET);
    });
  });

  describe("descriptors", () => {
    it("should fail with EBADF on a closed descriptor", () => {
      const { net } = setup();
      const { cfd } = connected(net);
      val(net.close(CLIENT, cfd));
      expect(errno(net.send(CLIENT, cfd, enc("x")))).toBe(Errno.EBADF);
      expect(errno(net.recv(CLIENT, cfd, 1))).toBe(Errno.EBADF);
      expect(errno(net.close(CLIENT, cfd))).toBe(Errno.EBADF);
      expect(errno(net.getsockname(CLIENT, cfd))).toBe(Errno.EBADF);
    });

    it("should hand out the lowest free descriptor from 3, per process", () => {
      const { net } = setup();
      expect(val(net.socket(1, "tcp"))).toBe(3);
      expect(val(net.socket(1, "tcp"))).toBe(4);
      expect(val(net.socket(2, "tcp"))).toBe(3);
      val(net.close(1, 3));
      expect(val(net.socket(1, "udp"))).toBe(3);
    });

    it("should keep a connection open until every process holding it has closed it (socket passed to a child)", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      const CHILD = 11;
      const ticket = val(net.share(SERVER, sfd));
      val(net.close(SERVER, sfd)); // the parent closes its copy right after start()
      const childFd = val(net.claim(CHILD, ticket));
      expect(stateOf(net, CHILD, childFd)).toBe("ESTABLISHED");
      val(net.send(CLIENT, cfd, enc("ping")));
      expect(dec(val(net.recv(CHILD, childFd, 10)))).toBe("ping");
      const dupFd = val(net.dup(CHILD, childFd));
      val(net.close(CHILD, childFd));
      expect(errno(net.recv(CLIENT, cfd, 10))).toBe(Errno.EAGAIN); // still open: the dup holds it
      net.exitProcess(CHILD); // the child dies holding the dup
      expect(val(net.recv(CLIENT, cfd, 10)).length).toBe(0);
      expect(dupFd).not.toBe(childFd);
    });

    it("should let parent and child both hold the socket: the peer sees EOF only after both close", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      const CHILD = 11;
      const childFd = val(net.claim(CHILD, val(net.share(SERVER, sfd))));
      val(net.close(CHILD, childFd));
      expect(errno(net.recv(CLIENT, cfd, 10))).toBe(Errno.EAGAIN);
      val(net.close(SERVER, sfd));
      expect(val(net.recv(CLIENT, cfd, 10)).length).toBe(0);
    });

    it("should drop an unclaimed ticket when its owner exits, and refuse a claim after that", () => {
      const { net } = setup();
      const { cfd, sfd } = connected(net);
      const ticket = val(net.share(SERVER, sfd));
      val(net.close(SERVER, sfd));
      expect(errno(net.recv(CLIENT, cfd, 1))).toBe(Errno.EAGAIN);
      net.exitProcess(SERVER);
      expect(val(net.recv(CLIENT, cfd, 1)).length).toBe(0);
      expect(errno(net.claim(11, ticket))).toBe(Errno.EBADF);
    });

    it("should close every descriptor of a process that exits", () => {
      const { net } = setup();
      const { cfd } = connected(net);
      net.exitProcess(SERVER);
      expect(net.fds(SERVER)).toEqual([]);
      expect(val(net.recv(CLIENT, cfd, 1)).length).toBe(0);
      expect(errno(net.connect(CLIENT, val(net.socket(CLIENT, "tcp")), "127.0.0.1", 5000))).toBe(111);
    });

    it("should fail with EMFILE past the descriptor limit", () => {
      const net = new Network({ timers: new FakeTimers(), maxFds: 2 });
      val(net.socket(1, "tcp"));
      val(net.socket(1, "tcp"));
      expect(errno(net.socket(1, "tcp"))).toBe(Errno.EMFILE);
      expect(net.size).toBe(2);
    });
  });

  describe("orphans and leaks", () => {
    it("should drop an orphan in FIN_WAIT_2 after the FIN timeout if the peer never closes", () => {
      const timers = new FakeTimers();
      const net = new Network({ timers, finTimeoutMs: 2000 });
      const { cfd, lfd } = connected(net);
      val(net.close(CLIENT, cfd));
      val(net.close(SERVER, lfd));
      expect(net.snapshot().map((s) => s.state).sort()).toEqual(["CLOSE_WAIT", "FIN_WAIT_2"]);
      timers.advance(2000);
      expect(net.snapshot().map((s) => s.state)).toEqual(["CLOSE_WAIT"]);
    });

    it("should leave nothing behind after 1000 connections are opened and closed", () => {
      const { net, timers } = setup({ timeWaitMs: 60_000 });
      const lfd = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, lfd, "", 5000));
      val(net.listen(SERVER, lfd, 128));
      for (let i = 0; i < 1000; i++) {
        const c = val(net.socket(CLIENT, "tcp"));
        val(net.connect(CLIENT, c, "127.0.0.1", 5000));
        const { fd: s } = val(net.accept(SERVER, lfd));
        val(net.send(CLIENT, c, enc(`msg ${i}`)));
        expect(dec(val(net.recv(SERVER, s, 100)))).toBe(`msg ${i}`);
        val(net.send(SERVER, s, enc("ok")));
        expect(dec(val(net.recv(CLIENT, c, 100)))).toBe("ok");
        val(net.close(CLIENT, c));
        expect(val(net.recv(SERVER, s, 100)).length).toBe(0);
        val(net.close(SERVER, s));
      }
      // Each client closed first, so each holds its port in TIME_WAIT for a while, like Linux.
      expect(net.snapshot().filter((s) => s.state === "TIME_WAIT").length).toBe(1000);
      timers.advance(60_000);
      val(net.close(SERVER, lfd));
      expect(net.size).toBe(0);
      expect(net.fds(SERVER)).toEqual([]);
      expect(net.fds(CLIENT)).toEqual([]);
      expect(timers.count).toBe(0);
    });
  });

  describe("UDP", () => {
    function udpPair(net: Network) {
      const a = val(net.socket(SERVER, "udp"));
      val(net.bind(SERVER, a, "127.0.0.1", 9999));
      const b = val(net.socket(CLIENT, "udp"));
      return { a, b };
    }

    it("should keep datagram boundaries and report the sender's address", () => {
      const { net } = setup();
      const { a, b } = udpPair(net);
      val(net.sendto(CLIENT, b, enc("one"), "localhost", 9999));
      val(net.sendto(CLIENT, b, enc("two"), "127.0.0.1", 9999));
      const first = val(net.recvfrom(SERVER, a, 100));
      expect(dec(first.data)).toBe("one");
      expect(first.addr).toEqual({ host: "127.0.0.1", port: val(net.getsockname(CLIENT, b)).port });
      expect(dec(val(net.recvfrom(SERVER, a, 100)).data)).toBe("two");
      expect(errno(net.recvfrom(SERVER, a, 100))).toBe(Errno.EAGAIN);
    });

    it("should truncate a datagram to the buffer and drop the rest", () => {
      const { net } = setup();
      const { a, b } = udpPair(net);
      val(net.sendto(CLIENT, b, enc("abcdef"), "127.0.0.1", 9999));
      val(net.sendto(CLIENT, b, enc("gh"), "127.0.0.1", 9999));
      expect(dec(val(net.recv(SERVER, a, 3)))).toBe("abc");
      expect(dec(val(net.recv(SERVER, a, 3)))).toBe("gh");
    });

    it("should lose datagrams to unbound ports, and report ECONNREFUSED to a connected sender", () => {
      const { net } = setup();
      const s = val(net.socket(CLIENT, "udp"));
      expect(val(net.sendto(CLIENT, s, enc("lost"), "127.0.0.1", 4000))).toBe(4);
      val(net.connect(CLIENT, s, "127.0.0.1", 4000));
      expect(val(net.send(CLIENT, s, enc("x")))).toBe(1);
      expect(errno(net.recv(CLIENT, s, 10))).toBe(Errno.ECONNREFUSED);
    });

    it("should fail with EDESTADDRREQ, EMSGSIZE and ENETUNREACH where Linux does", () => {
      const { net } = setup();
      const s = val(net.socket(CLIENT, "udp"));
      expect(errno(net.send(CLIENT, s, enc("x")))).toBe(Errno.EDESTADDRREQ);
      expect(errno(net.sendto(CLIENT, s, new Uint8Array(70000), "127.0.0.1", 9))).toBe(Errno.EMSGSIZE);
      expect(errno(net.sendto(CLIENT, s, enc("x"), "8.8.8.8", 53))).toBe(Errno.ENETUNREACH);
    });

    it("should refuse listen and accept on a datagram socket", () => {
      const { net } = setup();
      const s = val(net.socket(CLIENT, "udp"));
      expect(errno(net.listen(CLIENT, s, 1))).toBe(Errno.EOPNOTSUPP);
      expect(errno(net.accept(CLIENT, s))).toBe(Errno.EOPNOTSUPP);
    });

    it("should use a port space separate from TCP", () => {
      const { net } = setup();
      const t = val(net.socket(SERVER, "tcp"));
      val(net.bind(SERVER, t, "", 8000));
      const u = val(net.socket(SERVER, "udp"));
      val(net.bind(SERVER, u, "", 8000));
      const u2 = val(net.socket(SERVER, "udp"));
      expect(errno(net.bind(SERVER, u2, "", 8000))).toBe(98);
    });
  });

  describe("dispose", () => {
    it("should cancel every timer and forget every socket", () => {
      const { net, timers } = setup();
      const { cfd } = connected(net);
      val(net.close(CLIENT, cfd)); // the orphan waits in FIN_WAIT_2 (fin timeout armed)…
      net.exitProcess(SERVER); // …and moves to TIME_WAIT (TIME_WAIT timer armed instead)
      expect(timers.count).toBe(1);
      net.dispose();
      expect(timers.count).toBe(0);
      expect(net.size).toBe(0);
    });
  });
});

describe("AF_UNIX stream sockets (host unix:<path>, port 0)", () => {
  it("should connect by path, report an unnamed client, and refuse a path nobody listens on", () => {
    const net = new Network({ timers: new FakeTimers() });
    const srv = val(net.socket(SERVER, "tcp"));
    val(net.bind(SERVER, srv, "unix:/tmp/a.sock", 0));
    expect(val(net.getsockname(SERVER, srv))).toEqual({ host: "unix:/tmp/a.sock", port: 0 });
    val(net.listen(SERVER, srv, 5));
    const c = val(net.socket(CLIENT, "tcp"));
    val(net.connect(CLIENT, c, "unix:/tmp/a.sock", 0));
    const { fd, addr } = val(net.accept(SERVER, srv));
    expect(addr).toEqual({ host: "unix:", port: 0 });
    val(net.send(CLIENT, c, enc("hi")));
    expect(dec(val(net.recv(SERVER, fd, 10)))).toBe("hi");
    const other = val(net.socket(CLIENT, "tcp"));
    expect(errno(net.connect(CLIENT, other, "unix:/tmp/b.sock", 0))).toBe(Errno.ECONNREFUSED);
  });

  it("should refuse a second bind to a bound path but not one whose listener closed", () => {
    const net = new Network({ timers: new FakeTimers() });
    const a = val(net.socket(SERVER, "tcp"));
    val(net.bind(SERVER, a, "unix:/tmp/a.sock", 0));
    val(net.listen(SERVER, a, 5));
    const b = val(net.socket(SERVER, "tcp"));
    expect(errno(net.bind(SERVER, b, "unix:/tmp/a.sock", 0))).toBe(Errno.EADDRINUSE);
    val(net.close(SERVER, a));
    val(net.bind(SERVER, b, "unix:/tmp/a.sock", 0));
  });
});
