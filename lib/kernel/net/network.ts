/**
 * The loopback network of one simulated machine: per-process socket descriptor tables,
 * the port space, and the TCP/UDP endpoints. Every operation is non-blocking and returns
 * a `NetResult` — EAGAIN when it would block. Blocking, timeouts and select() are the
 * kernel's job (./syscalls.ts): it parks callers and re-checks them when `onReadiness`
 * says a socket changed. Nothing here imports a host API, so it runs in any worker.
 */
import { ANY, bindHost, isUnixHost, LOOPBACK, peerHost, UNIX_PREFIX, validPort } from "./addr";
import type { NetConfig, NetContext } from "./context";
import { fail, type NetResult, ok } from "./result";
import { type Socket, TcpSocket, UdpSocket } from "./sockets";
import { RingRx, RX_OK, SOCK_RING_HEADER_BYTES, SockRingOps, TX_OK } from "./sock-ring";
import { tcpAccept, tcpConnect, tcpLastClose, tcpListen, tcpPoll, tcpRecv, tcpSend, tcpShutdown } from "./tcp";
import type { NetEvent, Proto, SockAddr, SockOpt, SocketInfo, SocketState } from "./types";
import { udpPoll, udpRecvFrom, udpSendTo } from "./udp";

/** A timer service, shaped like the kernel host's: `setTimer` returns a cancel function. */
export interface NetTimers {
  setTimer(ms: number, fn: () => void): () => void;
}

/** Shared memory for socket rings (the kernel's SharedHeap). */
export interface RingHeap {
  readonly buffer: SharedArrayBuffer;
  /** Byte offset of a zeroed block; throws when the heap is full. */
  alloc(bytes: number): number;
  free(offset: number, bytes: number): void;
}

/** How often bytes in flight through socket rings are sampled for the event stream. */
export const BYTES_SAMPLE_MS = 100;

export interface NetworkOptions {
  /** Socket rings for established TCP connections; without it every byte goes through the kernel. */
  readonly heap?: RingHeap;
  /** Most heap bytes all socket rings may take together; further connections use kernel buffers. Default 8 MiB. */
  readonly maxRingBytes?: number;
  /** How long an actively closed connection holds its port in TIME_WAIT. Default 60 000 ms (Linux's TCP_TIMEWAIT_LEN). */
  readonly timeWaitMs?: number;
  /** How long a closed socket waits in FIN_WAIT_2 for the peer's FIN. Default 60 000 ms (tcp_fin_timeout). */
  readonly finTimeoutMs?: number;
  /** Largest listen() backlog (net.core.somaxconn). Default 4096. */
  readonly maxBacklog?: number;
  /** Most descriptors per process (RLIMIT_NOFILE). Default 1024. */
  readonly maxFds?: number;
  /** Ephemeral port range (net.ipv4.ip_local_port_range). Default [32768, 60999]. */
  readonly ephemeralRange?: readonly [number, number];
  /** Timers; default: the host's setTimeout/clearTimeout. Tests pass a fake clock. */
  readonly timers?: NetTimers;
}

/** The first descriptor a process gets: 0–2 are stdin, stdout and stderr. */
const FIRST_FD = 3;

function hostTimers(): NetTimers {
  // Both Node and browsers have these globals; the kernel's lib settings do not declare them.
  const g = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void };
  return {
    setTimer: (ms, fn) => {
      const h = g.setTimeout(fn, ms);
      return () => g.clearTimeout(h);
    },
  };
}

function hostsOverlap(a: string, b: string): boolean {
  return a === b || a === ANY || b === ANY;
}

export class Network {
  private readonly sockets = new Map<number, Socket>();
  private readonly fdTables = new Map<number, Map<number, Socket>>();
  private readonly tickets = new Map<number, { sock: Socket; owner: number }>();
  private readonly timers: NetTimers;
  private readonly heap: RingHeap | null;
  private readonly pendingTimers = new Set<() => void>();
  private readonly eventListeners = new Set<(e: NetEvent) => void>();
  private readonly readinessListeners = new Set<(sock: number) => void>();
  private readonly dirty = new Set<Socket>();
  private readonly config: NetConfig;
  private readonly maxFds: number;
  private readonly ephemeral: readonly [number, number];
  private nextEphemeral: number;
  private nextId = 1;
  private nextTicket = 1;
  private depth = 0;
  private disposed = false;
  private readonly ctx: NetContext;
  private readonly ringOps: SockRingOps | null;
  private readonly rings = new Map<number, RingRx>();
  private ringBytes = 0;
  private readonly maxRingBytes: number;
  /** Cancels the net.bytes sampler (running while any socket ring exists). */
  private stopSampling: (() => void) | null = null;

  constructor(options: NetworkOptions = {}) {
    this.config = {
      timeWaitMs: options.timeWaitMs ?? 60_000,
      finTimeoutMs: options.finTimeoutMs ?? 60_000,
      maxBacklog: options.maxBacklog ?? 4096,
    };
    this.maxFds = options.maxFds ?? 1024;
    this.ephemeral = options.ephemeralRange ?? [32768, 60999];
    this.nextEphemeral = this.ephemeral[0];
    this.timers = options.timers ?? hostTimers();
    this.heap = options.heap ?? null;
    this.maxRingBytes = options.maxRingBytes ?? 8 << 20;
    // The kernel may run on a page's main thread, which must not Atomics.wait.
    this.ringOps = this.heap ? new SockRingOps(this.heap.buffer, false, () => Date.now()) : null;
    this.ctx = {
      config: this.config,
      setState: (s, state) => this.setState(s, state),
      touch: (s) => this.dirty.add(s),
      bytes: (from, to) => {
        const inFlight = to.rx.length;
        if (to.rx instanceof RingRx) to.rx.reported = inFlight;
        this.emit({ type: "net.bytes", from: from.id, to: to.id, inFlight });
      },
      destroy: (s) => this.destroy(s),
      later: (ms, fn) => this.later(ms, fn),
      ephemeralPort: (proto, host) => this.ephemeralPort(proto, host),
      findListener: (addr) => this.findTcpListener(addr),
      newTcp: () => this.register(new TcpSocket(this.nextId++)),
      connectRings: (a, b) => this.connectRings(a, b),
    };
  }

  // ─── observers ────────────────────────────────────────────────────────────

  /** Connection states and bytes in flight, for the kernel event stream. */
  onEvent(listener: (e: NetEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called (after each operation) with every socket whose readiness may have changed. */
  onReadiness(listener: (sock: number) => void): () => void {
    this.readinessListeners.add(listener);
    return () => this.readinessListeners.delete(listener);
  }

  // ─── descriptors ──────────────────────────────────────────────────────────

  /** socket(2): a new socket and a descriptor for it in `pid`. */
  socket(pid: number, proto: Proto): NetResult<number> {
    return this.op(() => {
      const s = this.register(proto === "tcp" ? new TcpSocket(this.nextId++) : new UdpSocket(this.nextId++));
      const fd = this.install(pid, s);
      if (!fd.ok) this.sockets.delete(s.id);
      return fd;
    });
  }

  /** dup(2) inside one process. */
  dup(pid: number, fd: number): NetResult<number> {
    return this.op(() => {
      const s = this.lookup(pid, fd);
      return s.ok ? this.install(pid, s.value) : s;
    });
  }

  /**
   * Prepares a socket to travel to another process (pickling it for a child): the ticket
   * holds a reference, so the connection stays open even if the sender closes its own
   * descriptor right after starting the child. `claim` turns it into a descriptor of the
   * receiver. Unclaimed tickets are dropped when their owner exits.
   */
  share(pid: number, fd: number): NetResult<number> {
    return this.op(() => {
      const s = this.lookup(pid, fd);
      if (!s.ok) return s;
      const ticket = this.nextTicket++;
      s.value.tickets++;
      this.tickets.set(ticket, { sock: s.value, owner: pid });
      return ok(ticket);
    });
  }

  claim(pid: number, ticket: number): NetResult<number> {
    return this.op(() => {
      const t = this.tickets.get(ticket);
      if (!t) return fail("EBADF", "Bad file descriptor: the socket was closed before this process could receive it");
      const fd = this.install(pid, t.sock);
      if (!fd.ok) return fd;
      this.tickets.delete(ticket);
      t.sock.tickets--;
      return fd;
    });
  }

  close(pid: number, fd: number): NetResult<null> {
    return this.op(() => {
      const table = this.fdTables.get(pid);
      const s = table?.get(fd);
      if (!table || !s) return fail("EBADF");
      table.delete(fd);
      this.unref(pid, s);
      return ok(null);
    });
  }

  /** A process ended (normally or killed): its descriptors and unclaimed tickets close. */
  exitProcess(pid: number): void {
    this.op(() => {
      const table = this.fdTables.get(pid);
      if (table) {
        this.fdTables.delete(pid);
        for (const s of table.values()) this.unref(pid, s);
      }
      for (const [id, t] of this.tickets) {
        if (t.owner !== pid) continue;
        this.tickets.delete(id);
        t.sock.tickets--;
        if (t.sock.holders === 0) this.lastClose(t.sock);
      }
      return null;
    });
  }

  /** The descriptors `pid` holds, ascending. */
  fds(pid: number): number[] {
    return [...(this.fdTables.get(pid)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The endpoint id behind a descriptor (for wait queues and events), or null. */
  sockOf(pid: number, fd: number): number | null {
    return this.fdTables.get(pid)?.get(fd)?.id ?? null;
  }

  /**
   * The socket rings of a connected TCP descriptor, as int32 heap indices: `rx` to read
   * from, `tx` to write to; zeros when it has none (kernel buffers); null when it is not
   * connected (yet).
   */
  ringsOf(pid: number, fd: number): { rx: number; tx: number } | null {
    const s = this.fdTables.get(pid)?.get(fd);
    if (!(s instanceof TcpSocket) || !s.wasConnected) return null;
    const rx = s.rx instanceof RingRx && !s.rx.freed ? s.rx.base : 0;
    const tx = s.tx && !s.tx.freed ? s.tx.base : 0;
    return rx && tx ? { rx, tx } : { rx: 0, tx: 0 };
  }

  /** A worker moved bytes through ring `base` while someone waits in the kernel: re-check them. */
  kick(base: number): void {
    const r = this.rings.get(base);
    if (!r) return;
    this.op(() => {
      for (const id of [r.reader, r.writer]) {
        const s = this.sockets.get(id);
        if (s) this.dirty.add(s);
      }
      return null;
    });
  }

  /** Someone is (or no longer is) parked in the kernel on endpoint `sock`: workers must kick. */
  watch(sock: number, on: boolean): void {
    const s = this.sockets.get(sock);
    const ops = this.ringOps;
    if (!(s instanceof TcpSocket) || !ops) return;
    for (const r of [s.rx, s.tx]) if (r instanceof RingRx && !r.freed) ops.setWatch(r.base, on);
  }

  /** Heap bytes held by socket rings (for leak tests). */
  get ringBytesInUse(): number {
    return this.ringBytes;
  }

  protoOf(pid: number, fd: number): Proto | null {
    return this.fdTables.get(pid)?.get(fd)?.proto ?? null;
  }

  // ─── addresses ────────────────────────────────────────────────────────────

  bind(pid: number, fd: number, host: string, port: number): NetResult<null> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (!validPort(port)) return fail("EINVAL");
      if (s.local || (s instanceof TcpSocket && s.state !== "CLOSED")) return fail("EINVAL");
      const h = bindHost(host);
      if (!h.ok) return h;
      if (isUnixHost(h.value) && !(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
      if (isUnixHost(h.value)) {
        // Only another socket bound to the path conflicts (the file's existence is checked
        // by the Python side); connections accepted on it or lingering in TIME_WAIT do not.
        const path = h.value;
        const taken = [...this.sockets.values()].some((o) => o !== s && o instanceof TcpSocket && o.local?.host === path && (o.state === "LISTEN" || (o.state === "CLOSED" && !o.wasConnected)));
        if (taken) return fail("EADDRINUSE");
        port = 0; // a path has no port
      } else if (port === 0) {
        const p = this.ephemeralPort(s.proto, h.value);
        if (!p.ok) return p;
        port = p.value;
      } else if (this.bindConflict(s, h.value, port)) {
        return fail("EADDRINUSE");
      }
      s.local = { host: h.value, port };
      if (s instanceof UdpSocket) this.emitState(s, s.state, null);
      return ok(null);
    });
  }

  getsockname(pid: number, fd: number): NetResult<SockAddr> {
    const r = this.lookup(pid, fd);
    if (!r.ok) return r;
    return ok(r.value.local ?? { host: ANY, port: 0 });
  }

  getpeername(pid: number, fd: number): NetResult<SockAddr> {
    const r = this.lookup(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    const connected = s instanceof TcpSocket ? s.peer !== null && s.state !== "SYN_SENT" : s.remote !== null;
    if (!connected || !s.remote) return fail("ENOTCONN");
    return ok(s.remote);
  }

  // ─── TCP ──────────────────────────────────────────────────────────────────

  listen(pid: number, fd: number, backlog: number): NetResult<null> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
      if (s.state === "CLOSED" && !s.wasConnected) {
        if (!s.local) {
          const p = this.ephemeralPort("tcp", ANY);
          if (!p.ok) return p;
          s.local = { host: ANY, port: p.value };
        }
        const local = s.local;
        for (const o of this.sockets.values()) {
          if (o !== s && o instanceof TcpSocket && o.state === "LISTEN" && o.local?.port === local.port && hostsOverlap(o.local.host, local.host) && !(o.reusePort && s.reusePort)) {
            return fail("EADDRINUSE");
          }
        }
      }
      return tcpListen(this.ctx, s, backlog);
    });
  }

  /**
   * connect(2). TCP: ok once established, EINPROGRESS while waiting for room in a full
   * backlog (wait for POLLOUT, then read SO_ERROR). UDP: sets the default peer.
   */
  connect(pid: number, fd: number, host: string, port: number): NetResult<null> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (!validPort(port)) return fail("EINVAL");
      const h = peerHost(host);
      if (!h.ok) return h;
      if (s instanceof TcpSocket && (s.state !== "CLOSED" || s.wasConnected)) return tcpConnect(this.ctx, s, { host: h.value, port });
      if (isUnixHost(h.value)) {
        if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
        s.local ??= { host: UNIX_PREFIX, port: 0 }; // unnamed, as Linux's autobind-less client
        return tcpConnect(this.ctx, s, { host: h.value, port: 0 });
      }
      if (!s.local) {
        const p = this.ephemeralPort(s.proto, LOOPBACK);
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
      return tcpConnect(this.ctx, s, { host: h.value, port });
    });
  }

  accept(pid: number, fd: number): NetResult<{ fd: number; addr: SockAddr }> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
      const child = tcpAccept(this.ctx, s);
      if (!child.ok) return child;
      const nfd = this.install(pid, child.value);
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
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (s instanceof TcpSocket) return tcpSend(this.ctx, s, data);
      if (!s.remote) return fail("EDESTADDRREQ");
      return udpSendTo(this.udpRoute, s, data, s.remote);
    });
  }

  sendto(pid: number, fd: number, data: Uint8Array, host: string, port: number): NetResult<number> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      // TCP ignores the address of sendto(2) on a connected socket, as Linux does.
      if (s instanceof TcpSocket) return tcpSend(this.ctx, s, data);
      if (!validPort(port)) return fail("EINVAL");
      const h = peerHost(host);
      if (!h.ok) return h;
      if (!s.local) {
        const p = this.ephemeralPort("udp", ANY);
        if (!p.ok) return p;
        s.local = { host: ANY, port: p.value };
        this.emitState(s, s.state, null);
      }
      return udpSendTo(this.udpRoute, s, data, { host: h.value, port });
    });
  }

  /** recv(2): up to n bytes; an empty array is end of file; EAGAIN when nothing is there yet. */
  recv(pid: number, fd: number, n: number, peek = false): NetResult<Uint8Array> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (n < 0) return fail("EINVAL");
      if (s instanceof TcpSocket) return tcpRecv(this.ctx, s, n, peek);
      const d = udpRecvFrom(s, n, peek);
      return d.ok ? ok(d.value.data) : d;
    });
  }

  recvfrom(pid: number, fd: number, n: number, peek = false): NetResult<{ data: Uint8Array; addr: SockAddr | null }> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
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
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      if (s instanceof TcpSocket) return tcpShutdown(this.ctx, s, how);
      if (how < 0 || how > 2) return fail("EINVAL");
      if (!s.remote) return fail("ENOTCONN");
      if (how !== 1) s.rdShut = true;
      if (how !== 0) s.wrShut = true;
      this.dirty.add(s);
      return ok(null);
    });
  }

  /** poll(2) bits of one descriptor (POLLIN, POLLOUT, POLLERR, POLLHUP). */
  poll(pid: number, fd: number): NetResult<number> {
    const r = this.lookup(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    return ok(s instanceof TcpSocket ? tcpPoll(s) : udpPoll(s));
  }

  // ─── options ──────────────────────────────────────────────────────────────

  setsockopt(pid: number, fd: number, opt: SockOpt, value: number): NetResult<null> {
    return this.op(() => {
      const r = this.lookup(pid, fd);
      if (!r.ok) return r;
      const s = r.value;
      switch (opt) {
        case "SO_REUSEADDR":
          s.reuseAddr = value !== 0;
          break;
        case "SO_REUSEPORT":
          s.reusePort = value !== 0;
          break;
        case "SO_KEEPALIVE":
          s.keepAlive = value !== 0;
          break;
        case "SO_BROADCAST":
          s.broadcast = value !== 0;
          break;
        case "SO_RCVBUF":
          // Linux doubles the value (bookkeeping overhead) and enforces a minimum.
          s.rcvbuf = Math.max(2304, Math.min(value, 212992) * 2);
          break;
        case "SO_SNDBUF":
          s.sndbuf = Math.max(4608, Math.min(value, 212992) * 2);
          break;
        case "TCP_NODELAY":
          if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
          s.nodelay = value !== 0;
          break;
        case "SO_ERROR":
        case "SO_TYPE":
          return fail("ENOPROTOOPT");
      }
      this.dirty.add(s);
      return ok(null);
    });
  }

  getsockopt(pid: number, fd: number, opt: SockOpt): NetResult<number> {
    const r = this.lookup(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    switch (opt) {
      case "SO_REUSEADDR":
        return ok(s.reuseAddr ? 1 : 0);
      case "SO_REUSEPORT":
        return ok(s.reusePort ? 1 : 0);
      case "SO_KEEPALIVE":
        return ok(s.keepAlive ? 1 : 0);
      case "SO_BROADCAST":
        return ok(s.broadcast ? 1 : 0);
      case "SO_RCVBUF":
        return ok(s.rcvbuf);
      case "SO_SNDBUF":
        return ok(s.sndbuf);
      case "SO_ERROR":
        // Reading clears the error, which changes the socket's readiness (POLLERR): publish it.
        return this.op(() => {
          const e = s.takeError();
          if (e !== 0) this.dirty.add(s);
          return ok(e);
        });
      case "SO_TYPE":
        return ok(s.proto === "tcp" ? 1 : 2);
      case "TCP_NODELAY":
        return s instanceof TcpSocket ? ok(s.nodelay ? 1 : 0) : fail("EOPNOTSUPP");
    }
  }

  // ─── inspection and lifecycle ─────────────────────────────────────────────

  /** Every endpoint, like `ss -tuanp`. */
  snapshot(): SocketInfo[] {
    return [...this.sockets.values()].map((s) => {
      if (s instanceof TcpSocket) {
        const peerRx = s.peer?.rx.length ?? 0;
        return {
          sock: s.id,
          proto: s.proto,
          state: s.state,
          local: s.local,
          remote: s.state === "LISTEN" ? null : s.remote,
          recvQ: s.state === "LISTEN" ? s.acceptQueue.length : Math.min(s.rx.length, s.rcvbuf),
          sendQ: s.state === "LISTEN" ? s.backlog : Math.max(0, peerRx - (s.peer?.rcvbuf ?? 0)),
          backlog: s.acceptQueue.length,
          pids: s.pids(),
          orphan: s.orphan,
        };
      }
      return { sock: s.id, proto: s.proto, state: s.state, local: s.local, remote: s.remote, recvQ: s.rxBytes, sendQ: 0, backlog: 0, pids: s.pids(), orphan: s.orphan };
    });
  }

  /** Number of endpoints alive (any state), for leak tests. */
  get size(): number {
    return this.sockets.size;
  }

  /** Drops every socket and timer (the machine is going away). */
  dispose(): void {
    this.disposed = true;
    for (const cancel of this.pendingTimers) cancel();
    this.pendingTimers.clear();
    this.sockets.clear();
    this.fdTables.clear();
    this.tickets.clear();
    this.eventListeners.clear();
    this.readinessListeners.clear();
    this.dirty.clear();
  }

  // ─── internals ────────────────────────────────────────────────────────────

  /** Runs one operation and then tells readiness listeners which sockets changed. */
  private op<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      if (--this.depth === 0) this.flush();
    }
  }

  private flush(): void {
    while (this.dirty.size > 0) {
      const changed = [...this.dirty];
      const ids = changed.map((s) => s.id);
      this.dirty.clear();
      if (this.ringOps) for (const s of changed) if (s instanceof TcpSocket) this.syncRings(s);
      for (const id of ids) for (const l of this.readinessListeners) l(id);
    }
  }

  private register<S extends Socket>(s: S): S {
    this.sockets.set(s.id, s);
    return s;
  }

  private lookup(pid: number, fd: number): NetResult<Socket> {
    const s = this.fdTables.get(pid)?.get(fd);
    return s ? ok(s) : fail("EBADF");
  }

  private install(pid: number, s: Socket): NetResult<number> {
    let table = this.fdTables.get(pid);
    if (!table) {
      table = new Map();
      this.fdTables.set(pid, table);
    }
    if (table.size >= this.maxFds) return fail("EMFILE");
    let fd = FIRST_FD;
    while (table.has(fd)) fd++;
    table.set(fd, s);
    s.refs.set(pid, (s.refs.get(pid) ?? 0) + 1);
    s.orphan = false;
    return ok(fd);
  }

  private unref(pid: number, s: Socket): void {
    const n = (s.refs.get(pid) ?? 0) - 1;
    if (n > 0) s.refs.set(pid, n);
    else s.refs.delete(pid);
    if (s.holders === 0) this.lastClose(s);
    else this.dirty.add(s);
  }

  private lastClose(s: Socket): void {
    this.dirty.add(s);
    if (s instanceof TcpSocket) {
      tcpLastClose(this.ctx, s);
      for (const r of [s.rx, s.tx]) if (r instanceof RingRx) this.releaseRing(r);
      return;
    }
    s.orphan = true;
    this.emitState(s, "CLOSED", s.state);
    this.destroy(s);
  }

  private destroy(s: Socket): void {
    if (s instanceof TcpSocket) {
      s.cancelTimer?.();
      s.cancelTimer = null;
      for (const r of [s.rx, s.tx]) if (r instanceof RingRx) this.releaseRing(r);
    }
    this.sockets.delete(s.id);
    this.dirty.add(s);
  }

  // ─── socket rings ─────────────────────────────────────────────────────────

  private allocRing(writer: TcpSocket, reader: TcpSocket): RingRx | null {
    const heap = this.heap;
    const ops = this.ringOps;
    if (!heap || !ops) return null;
    const cap = reader.rcvbuf + writer.sndbuf;
    const bytes = SOCK_RING_HEADER_BYTES + cap;
    if (this.ringBytes + bytes > this.maxRingBytes) return null;
    let offset: number;
    try {
      offset = heap.alloc(bytes);
    } catch {
      return null; // heap full: this connection keeps its bytes in the kernel
    }
    ops.init(offset >> 2, cap);
    this.ringBytes += bytes;
    const r = new RingRx(ops, offset >> 2, bytes, writer.id, reader.id);
    this.rings.set(r.base, r);
    return r;
  }

  /**
   * Frees a ring once no process can touch it: both endpoints are gone or orphaned (no
   * descriptor, no ticket). An orphan in TIME_WAIT no longer needs its bytes, so its rings
   * do not wait the 60 s with it.
   */
  private releaseRing(r: RingRx): void {
    if (r.freed) return;
    for (const id of [r.reader, r.writer]) {
      const s = this.sockets.get(id);
      if (s && s.holders > 0) return;
    }
    r.freed = true;
    this.rings.delete(r.base);
    this.ringBytes -= r.bytes;
    this.heap?.free(r.base << 2, r.bytes);
    if (this.rings.size === 0) {
      this.stopSampling?.();
      this.stopSampling = null;
    }
  }

  private connectRings(a: TcpSocket, b: TcpSocket): void {
    const toA = this.allocRing(b, a);
    if (!toA) return;
    const toB = this.allocRing(a, b);
    if (!toB) {
      toA.freed = true;
      this.rings.delete(toA.base);
      this.ringBytes -= toA.bytes;
      this.heap?.free(toA.base << 2, toA.bytes);
      return;
    }
    a.rx = toA;
    b.tx = toA;
    b.rx = toB;
    a.tx = toB;
    this.syncRings(a);
    this.syncRings(b);
    this.startSampling();
  }

  /** Publishes what the workers' fast paths may do on `s`'s rings (banner of ./sock-ring.ts). */
  private syncRings(s: TcpSocket): void {
    const ops = this.ringOps;
    if (!ops) return;
    const rxOk = !s.finReceived && !s.rdShut && s.soError === 0 && s.state !== "CLOSED" && s.state !== "LISTEN";
    const txOk = s.soError === 0 && !s.wrShut && (s.state === "ESTABLISHED" || s.state === "CLOSE_WAIT") && s.peer !== null && !s.peer.orphan;
    if (s.rx instanceof RingRx && !s.rx.freed) ops.setFlags(s.rx.base, RX_OK, rxOk ? RX_OK : 0);
    if (s.tx && !s.tx.freed) ops.setFlags(s.tx.base, TX_OK, txOk ? TX_OK : 0);
    const peer = s.peer;
    if (peer && peer.tx && !peer.tx.freed && peer !== s) {
      const peerTx = peer.soError === 0 && !peer.wrShut && (peer.state === "ESTABLISHED" || peer.state === "CLOSE_WAIT") && !s.orphan;
      ops.setFlags(peer.tx.base, TX_OK, peerTx ? TX_OK : 0);
    }
  }

  /**
   * Bytes that move through socket rings never pass the kernel: their `net.bytes` events
   * are sampled every BYTES_SAMPLE_MS (a change since the last report is reported).
   */
  private startSampling(): void {
    if (this.stopSampling) return;
    const tick = (): void => {
      for (const r of this.rings.values()) {
        const n = r.length;
        if (n !== r.reported) {
          r.reported = n;
          this.emit({ type: "net.bytes", from: r.writer, to: r.reader, inFlight: n });
        }
      }
      this.stopSampling = this.rings.size > 0 ? this.later(BYTES_SAMPLE_MS, tick) : null;
    };
    this.stopSampling = this.later(BYTES_SAMPLE_MS, tick);
  }

  private later(ms: number, fn: () => void): () => void {
    if (this.disposed) return () => {};
    const cancel = this.timers.setTimer(ms, () => {
      this.pendingTimers.delete(cancel);
      if (!this.disposed) this.op(() => fn());
    });
    this.pendingTimers.add(cancel);
    return () => {
      if (this.pendingTimers.delete(cancel)) cancel();
    };
  }

  private setState(s: TcpSocket, state: SocketState): void {
    const prev = s.state;
    if (prev === state) return;
    s.state = state;
    this.emitState(s, state, prev);
  }

  private emitState(s: Socket, state: SocketState, prev: SocketState | null): void {
    this.emit({ type: "net.state", sock: s.id, proto: s.proto, state, prev, local: s.local, remote: s.remote, pids: s.pids() });
  }

  private emit(e: NetEvent): void {
    for (const l of this.eventListeners) {
      try {
        l(e);
      } catch {
        // An observer must not break the network.
      }
    }
  }

  /** Linux's bind rules, simplified to one interface (inet_csk_bind_conflict). */
  private bindConflict(s: Socket, host: string, port: number): boolean {
    for (const o of this.sockets.values()) {
      if (o === s || o.proto !== s.proto || !o.local || o.local.port !== port) continue;
      if (!hostsOverlap(o.local.host, host)) continue;
      if (o.reusePort && s.reusePort) continue;
      if (o instanceof TcpSocket) {
        if (o.state === "TIME_WAIT") {
          if (!s.reuseAddr) return true;
          continue;
        }
        if (o.state === "LISTEN") return true;
      }
      if (!(s.reuseAddr && o.reuseAddr)) return true;
    }
    return false;
  }

  private portInUse(proto: Proto, port: number): boolean {
    for (const o of this.sockets.values()) if (o.proto === proto && o.local?.port === port) return true;
    return false;
  }

  private ephemeralPort(proto: Proto, host: string): NetResult<number> {
    void host;
    const [lo, hi] = this.ephemeral;
    const span = hi - lo + 1;
    for (let i = 0; i < span; i++) {
      const port = this.nextEphemeral;
      this.nextEphemeral = port >= hi ? lo : port + 1;
      if (!this.portInUse(proto, port)) return ok(port);
    }
    return fail("EADDRINUSE");
  }

  private findTcpListener(addr: SockAddr): TcpSocket | null {
    for (const o of this.sockets.values()) {
      if (o instanceof TcpSocket && o.state === "LISTEN" && o.local?.port === addr.port && hostsOverlap(o.local.host, addr.host)) return o;
    }
    return null;
  }

  private readonly udpRoute = {
    find: (to: SockAddr, from: SockAddr): UdpSocket | null => {
      let found: UdpSocket | null = null;
      for (const o of this.sockets.values()) {
        if (!(o instanceof UdpSocket) || !o.local || o.local.port !== to.port || !hostsOverlap(o.local.host, to.host)) continue;
        if (o.remote && (o.remote.port !== from.port || !hostsOverlap(o.remote.host, from.host))) continue;
        found = o; // the most recently bound wins, like Linux's unicast delivery with SO_REUSEADDR
      }
      return found;
    },
    touch: (s: UdpSocket) => this.dirty.add(s),
  };
}
