/**
 * The machinery under the loopback network's socket calls (./network.ts): the endpoints and
 * their lifetimes, the descriptor tables, the port space and the socket rings, the clock,
 * and the two observer streams (events; readiness after each operation, which is how the
 * kernel's waits learn that a socket changed).
 */
import type { NetConfig, NetContext } from "./context";
import { Descriptors } from "./descriptors";
import { Ports } from "./ports";
import type { NetResult } from "./result";
import { RingPool, type RingHeap } from "./ring-pool";
import { RingRx } from "./sock-ring";
import { type Socket, TcpSocket } from "./sockets";
import { tcpLastClose } from "./tcp";
import type { NetEvent, SocketState } from "./types";
import type { UdpRoute } from "./udp";

/** A timer service, shaped like the kernel host's: `setTimer` returns a cancel function. */
export interface NetTimers {
  setTimer(ms: number, fn: () => void): () => void;
}

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

export class NetCore {
  protected readonly sockets = new Map<number, Socket>();
  protected readonly descriptors: Descriptors;
  protected readonly ports: Ports;
  /** Null without a shared heap: every byte then goes through kernel buffers. */
  protected readonly ringPool: RingPool | null;
  private readonly timers: NetTimers;
  private readonly pendingTimers = new Set<() => void>();
  private readonly eventListeners = new Set<(e: NetEvent) => void>();
  private readonly readinessListeners = new Set<(sock: number) => void>();
  private readonly dirty = new Set<Socket>();
  private readonly config: NetConfig;
  protected readonly ctx: NetContext;
  protected readonly udpRoute: UdpRoute;
  protected nextId = 1;
  private depth = 0;
  private disposed = false;

  constructor(options: NetworkOptions = {}) {
    this.config = {
      timeWaitMs: options.timeWaitMs ?? 60_000,
      finTimeoutMs: options.finTimeoutMs ?? 60_000,
      maxBacklog: options.maxBacklog ?? 4096,
    };
    this.timers = options.timers ?? hostTimers();
    const touch = (s: Socket) => this.dirty.add(s);
    this.descriptors = new Descriptors(options.maxFds ?? 1024, (s) => this.lastClose(s), touch);
    this.ports = new Ports(this.sockets, options.ephemeralRange ?? [32768, 60999]);
    this.ringPool = options.heap
      ? new RingPool(options.heap, options.maxRingBytes ?? 8 << 20, { socket: (id) => this.sockets.get(id), emit: (e) => this.emit(e), later: (ms, fn) => this.later(ms, fn) })
      : null;
    this.udpRoute = { find: (to, from) => this.ports.udpTarget(to, from), touch };
    this.ctx = {
      config: this.config,
      setState: (s, state) => this.setState(s, state),
      touch,
      bytes: (from, to) => {
        const inFlight = to.rx.length;
        if (to.rx instanceof RingRx) to.rx.reported = inFlight;
        this.emit({ type: "net.bytes", from: from.id, to: to.id, inFlight });
      },
      destroy: (s) => this.destroy(s),
      later: (ms, fn) => this.later(ms, fn),
      ephemeralPort: (proto) => this.ports.ephemeral(proto),
      findListener: (addr) => this.ports.tcpListener(addr),
      newTcp: () => this.register(new TcpSocket(this.nextId++)),
      connectRings: (a, b) => this.ringPool?.connect(a, b),
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

  // ─── socket rings ─────────────────────────────────────────────────────────

  /**
   * The socket rings of a connected TCP descriptor, as int32 heap indices: `rx` to read
   * from, `tx` to write to; zeros when it has none (kernel buffers); null when it is not
   * connected (yet).
   */
  ringsOf(pid: number, fd: number): { rx: number; tx: number } | null {
    const s = this.descriptors.get(pid, fd);
    if (!(s instanceof TcpSocket) || !s.wasConnected) return null;
    const rx = s.rx instanceof RingRx && !s.rx.freed ? s.rx.base : 0;
    const tx = s.tx && !s.tx.freed ? s.tx.base : 0;
    return rx && tx ? { rx, tx } : { rx: 0, tx: 0 };
  }

  /** A worker moved bytes through ring `base` while someone waits in the kernel: re-check them. */
  kick(base: number): void {
    const endpoints = this.ringPool?.endpointsOf(base) ?? [];
    if (endpoints.length === 0) return;
    this.op(() => {
      for (const s of endpoints) this.dirty.add(s);
      return null;
    });
  }

  /** Someone is (or no longer is) parked in the kernel on endpoint `sock`: workers must kick. */
  watch(sock: number, on: boolean): void {
    const s = this.sockets.get(sock);
    if (s instanceof TcpSocket) this.ringPool?.watch(s, on);
  }

  /** Heap bytes held by socket rings (for leak tests). */
  get ringBytesInUse(): number {
    return this.ringPool?.bytesInUse ?? 0;
  }

  /** Number of endpoints alive (any state), for leak tests. */
  get size(): number {
    return this.sockets.size;
  }

  /**
   * A fresh network for a controlled run, once no process holds a socket: what lingers
   * (TIME_WAIT) goes and ephemeral ports count from the range's start, so a replay sees the
   * same port numbers whatever ran before. False while some process still holds a socket.
   */
  restart(): boolean {
    if (this.descriptors.open() > 0) return false;
    this.op(() => {
      for (const s of [...this.sockets.values()]) this.destroy(s);
    });
    this.ports.restart();
    return true;
  }

  /** Drops every socket and timer (the machine is going away). */
  dispose(): void {
    this.disposed = true;
    for (const cancel of this.pendingTimers) cancel();
    this.pendingTimers.clear();
    this.sockets.clear();
    this.descriptors.clear();
    this.eventListeners.clear();
    this.readinessListeners.clear();
    this.dirty.clear();
  }

  // ─── internals ────────────────────────────────────────────────────────────

  /** Runs one operation and then tells readiness listeners which sockets changed. */
  protected op<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      if (--this.depth === 0) this.flush();
    }
  }

  /** One operation on the socket behind `pid`'s `fd` (EBADF when there is none). */
  protected withSock<T>(pid: number, fd: number, fn: (s: Socket) => NetResult<T>): NetResult<T> {
    return this.op(() => {
      const r = this.descriptors.lookup(pid, fd);
      return r.ok ? fn(r.value) : r;
    });
  }

  /** Readiness of `s` may have changed: its waiters are re-checked after this operation. */
  protected touch(s: Socket): void {
    this.dirty.add(s);
  }

  private flush(): void {
    while (this.dirty.size > 0) {
      const changed = [...this.dirty];
      const ids = changed.map((s) => s.id);
      this.dirty.clear();
      if (this.ringPool) for (const s of changed) if (s instanceof TcpSocket) this.ringPool.sync(s);
      for (const id of ids) for (const l of this.readinessListeners) l(id);
    }
  }

  protected register<S extends Socket>(s: S): S {
    this.sockets.set(s.id, s);
    return s;
  }

  protected lastClose(s: Socket): void {
    this.dirty.add(s);
    if (s instanceof TcpSocket) {
      tcpLastClose(this.ctx, s);
      this.ringPool?.release(s);
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
      this.ringPool?.release(s);
    }
    this.sockets.delete(s.id);
    this.dirty.add(s);
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

  protected emitState(s: Socket, state: SocketState, prev: SocketState | null): void {
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
  }}
