/**
 * The loopback network of one simulated machine: the socket calls the `sock_*` syscalls make,
 * one short method each, on the machinery of ./core.ts. Every operation is non-blocking and
 * returns a `NetResult` — EAGAIN when it would block. Blocking, timeouts and select() are the
 * kernel's job (./syscalls.ts): it parks callers and re-checks them when `onReadiness` says a
 * socket changed. The protocols are ./tcp.ts and ./udp.ts, options ./options.ts. Nothing here
 * imports a host API, so it runs in any worker.
 */
import { ANY, isUnixHost, LOOPBACK, peerHost, UNIX_PREFIX, validPort } from "./addr";
import { NetCore } from "./core";
import { getOption, setOption } from "./options";
import { fail, type NetResult, ok } from "./result";
import { socketInfo, TcpSocket, UdpSocket } from "./sockets";
import { tcpAccept, tcpConnect, tcpListen, tcpPoll, tcpRecv, tcpSend, tcpShutdown } from "./tcp";
import type { Proto, SockAddr, SockOpt, SocketInfo } from "./types";
import { udpPoll, udpRecvFrom, udpSendTo } from "./udp";

export { type NetTimers, type NetworkOptions } from "./core";
export { BYTES_SAMPLE_MS, type RingHeap } from "./ring-pool";

export class Network extends NetCore {
  // ─── descriptors ──────────────────────────────────────────────────────────

  /** socket(2): a new socket and a descriptor for it in `pid` (`at`: that one, see Descriptors.install). */
  socket(pid: number, proto: Proto, at?: number): NetResult<number> {
    return this.op(() => {
      const s = this.register(proto === "tcp" ? new TcpSocket(this.nextId++) : new UdpSocket(this.nextId++));
      const fd = this.descriptors.install(pid, s, at);
      if (!fd.ok) this.sockets.delete(s.id);
      return fd;
    });
  }

  /** dup(2) inside one process. */
  dup(pid: number, fd: number, at?: number): NetResult<number> {
    return this.withSock(pid, fd, (s) => this.descriptors.install(pid, s, at));
  }

  /** A ticket for the socket behind `fd`, to travel to another process (see Descriptors.share). */
  share(pid: number, fd: number): NetResult<number> {
    return this.op(() => this.descriptors.share(pid, fd));
  }

  claim(pid: number, ticket: number, at?: number): NetResult<number> {
    return this.op(() => this.descriptors.claim(pid, ticket, at));
  }

  close(pid: number, fd: number): NetResult<null> {
    return this.op(() => this.descriptors.close(pid, fd));
  }

  /** A process ended (normally or killed): its descriptors and unclaimed tickets close. */
  exitProcess(pid: number): void {
    this.op(() => this.descriptors.exitProcess(pid));
  }

  /** The descriptors `pid` holds, ascending. */
  fds(pid: number): number[] {
    return this.descriptors.fds(pid);
  }

  /** The endpoint id behind a descriptor (for wait queues and events), or null. */
  sockOf(pid: number, fd: number): number | null {
    return this.descriptors.get(pid, fd)?.id ?? null;
  }

  protoOf(pid: number, fd: number): Proto | null {
    return this.descriptors.get(pid, fd)?.proto ?? null;
  }

  // ─── addresses ────────────────────────────────────────────────────────────

  bind(pid: number, fd: number, host: string, port: number): NetResult<null> {
    return this.withSock(pid, fd, (s) => {
      if (!validPort(port)) return fail("EINVAL");
      if (s.local || (s instanceof TcpSocket && s.state !== "CLOSED")) return fail("EINVAL");
      const addr = this.ports.bindAddress(s, host, port);
      if (!addr.ok) return addr;
      s.local = addr.value;
      if (s instanceof UdpSocket) this.emitState(s, s.state, null);
      return ok(null);
    });
  }

  getsockname(pid: number, fd: number): NetResult<SockAddr> {
    const r = this.descriptors.lookup(pid, fd);
    if (!r.ok) return r;
    return ok(r.value.local ?? { host: ANY, port: 0 });
  }

  getpeername(pid: number, fd: number): NetResult<SockAddr> {
    const r = this.descriptors.lookup(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    const connected = s instanceof TcpSocket ? s.peer !== null && s.state !== "SYN_SENT" : s.remote !== null;
    if (!connected || !s.remote) return fail("ENOTCONN");
    return ok(s.remote);
  }

  // ─── TCP ──────────────────────────────────────────────────────────────────

  listen(pid: number, fd: number, backlog: number): NetResult<null> {
    return this.withSock(pid, fd, (s) => {
      if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
      if (s.state === "CLOSED" && !s.wasConnected) {
        if (!s.local) {
          const p = this.ports.ephemeral("tcp");
          if (!p.ok) return p;
          s.local = { host: ANY, port: p.value };
        }
        if (this.ports.listenConflict(s, s.local)) return fail("EADDRINUSE");
      }
      return tcpListen(this.ctx, s, backlog);
    });
  }

  /**
   * connect(2). TCP: ok once established, EINPROGRESS while waiting for room in a full
   * backlog (wait for POLLOUT, then read SO_ERROR); a `nonblock` TCP connect always answers
   * EINPROGRESS, as Linux's does (see tcpConnect). UDP: sets the default peer.
   */
  connect(pid: number, fd: number, host: string, port: number, nonblock = false): NetResult<null> {
    return this.withSock(pid, fd, (s) => {
      if (!validPort(port)) return fail("EINVAL");
      const h = peerHost(host);
      if (!h.ok) return h;
      if (s instanceof TcpSocket && (s.state !== "CLOSED" || s.wasConnected)) return tcpConnect(this.ctx, s, { host: h.value, port }, nonblock);
      if (isUnixHost(h.value)) {
        if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
        s.local ??= { host: UNIX_PREFIX, port: 0 }; // unnamed, as Linux's autobind-less client
        return tcpConnect(this.ctx, s, { host: h.value, port: 0 });
      }
      if (!s.local) {
        const p = this.ports.ephemeral(s.proto);
        if (!p.ok) return p;
        s.local = { host: LOOPBACK, port: p.value };
      } else if (s.local.host === ANY && s instanceof TcpSocket) {
        s.local = { host: LOOPBACK, port: s.local.port };
      }
      if (s instanceof UdpSocket) {
        s.remote = { host: h.value, port };
        this.emitState(s, s.state, "UNCONN");
        return ok(null);
      }
      return tcpConnect(this.ctx, s, { host: h.value, port }, nonblock);
    });
  }

  accept(pid: number, fd: number, at?: number): NetResult<{ fd: number; addr: SockAddr }> {
    return this.withSock(pid, fd, (s) => {
      if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
      const child = tcpAccept(this.ctx, s);
      if (!child.ok) return child;
      const nfd = this.descriptors.install(pid, child.value, at);
      if (!nfd.ok) {
        // No descriptor for it (EMFILE): the connection is aborted, as Linux does after accept fails.
        child.value.refs.clear();
        this.lastClose(child.value);
        return nfd;
      }
      return ok({ fd: nfd.value, addr: child.value.remote ?? { host: LOOPBACK, port: 0 } });
    });
  }

  // ─── data ─────────────────────────────────────────────────────────────────

  /** send(2): how many bytes were taken (maybe fewer than given), or EAGAIN when the buffers are full. */
  send(pid: number, fd: number, data: Uint8Array): NetResult<number> {
    return this.withSock(pid, fd, (s) => {
      if (s instanceof TcpSocket) return tcpSend(this.ctx, s, data);
      if (!s.remote) return fail("EDESTADDRREQ");
      return udpSendTo(this.udpRoute, s, data, s.remote);
    });
  }

  sendto(pid: number, fd: number, data: Uint8Array, host: string, port: number): NetResult<number> {
    return this.withSock(pid, fd, (s) => {
      // TCP ignores the address of sendto(2) on a connected socket, as Linux does.
      if (s instanceof TcpSocket) return tcpSend(this.ctx, s, data);
      if (!validPort(port)) return fail("EINVAL");
      const h = peerHost(host);
      if (!h.ok) return h;
      if (!s.local) {
        const p = this.ports.ephemeral("udp");
        if (!p.ok) return p;
        s.local = { host: ANY, port: p.value };
        this.emitState(s, s.state, null);
      }
      return udpSendTo(this.udpRoute, s, data, { host: h.value, port });
    });
  }

  /** recv(2): up to n bytes; an empty array is end of file; EAGAIN when nothing is there yet. */
  recv(pid: number, fd: number, n: number, peek = false): NetResult<Uint8Array> {
    return this.withSock(pid, fd, (s) => {
      if (n < 0) return fail("EINVAL");
      if (s instanceof TcpSocket) return tcpRecv(this.ctx, s, n, peek);
      const d = udpRecvFrom(s, n, peek);
      return d.ok ? ok(d.value.data) : d;
    });
  }

  recvfrom(pid: number, fd: number, n: number, peek = false): NetResult<{ data: Uint8Array; addr: SockAddr | null }> {
    return this.withSock(pid, fd, (s): NetResult<{ data: Uint8Array; addr: SockAddr | null }> => {
      if (n < 0) return fail("EINVAL");
      if (s instanceof TcpSocket) {
        const d = tcpRecv(this.ctx, s, n, peek);
        // Like Linux, TCP's recvfrom reports no address.
        return d.ok ? ok({ data: d.value, addr: null }) : d;
      }
      const d = udpRecvFrom(s, n, peek);
      return d.ok ? ok({ data: d.value.data, addr: d.value.from }) : d;
    });
  }

  shutdown(pid: number, fd: number, how: number): NetResult<null> {
    return this.withSock(pid, fd, (s) => {
      if (s instanceof TcpSocket) return tcpShutdown(this.ctx, s, how);
      if (how < 0 || how > 2) return fail("EINVAL");
      if (!s.remote) return fail("ENOTCONN");
      if (how !== 1) s.rdShut = true;
      if (how !== 0) s.wrShut = true;
      this.touch(s);
      return ok(null);
    });
  }

  /** poll(2) bits of one descriptor (POLLIN, POLLOUT, POLLERR, POLLHUP). */
  poll(pid: number, fd: number): NetResult<number> {
    const r = this.descriptors.lookup(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    return ok(s instanceof TcpSocket ? tcpPoll(s) : udpPoll(s));
  }

  // ─── options ──────────────────────────────────────────────────────────────

  setsockopt(pid: number, fd: number, opt: SockOpt, value: number): NetResult<null> {
    return this.withSock(pid, fd, (s) => {
      const r = setOption(s, opt, value);
      if (r.ok) this.touch(s);
      return r;
    });
  }

  getsockopt(pid: number, fd: number, opt: SockOpt): NetResult<number> {
    const r = this.descriptors.lookup(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    if (opt !== "SO_ERROR") return getOption(s, opt);
    // Reading clears the error, which changes the socket's readiness (POLLERR): publish it.
    return this.op(() => {
      const e = s.takeError();
      if (e !== 0) this.touch(s);
      return ok(e);
    });
  }

  // ─── inspection and lifecycle ─────────────────────────────────────────────

  /** Every endpoint, like `ss -tuanp`. */
  snapshot(): SocketInfo[] {
    return [...this.sockets.values()].map(socketInfo);
  }

}
