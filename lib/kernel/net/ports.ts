/**
 * The loopback's address space: Linux's bind rules on one interface, listen conflicts,
 * ephemeral ports, AF_UNIX paths, and which endpoint a connection or a datagram is for.
 */
import { ANY, bindHost, isUnixHost } from "./addr";
import { fail, type NetResult, ok } from "./result";
import { type Socket, TcpSocket, UdpSocket } from "./sockets";
import type { Proto, SockAddr } from "./types";

/** Two local addresses on the one interface meet when they are equal or one is the wildcard. */
export function hostsOverlap(a: string, b: string): boolean {
  return a === b || a === ANY || b === ANY;
}

export class Ports {
  private next: number;

  /** `sockets`: every endpoint of the network (read only); `range`: net.ipv4.ip_local_port_range. */
  constructor(
    private readonly sockets: ReadonlyMap<number, Socket>,
    private readonly range: readonly [number, number],
  ) {
    this.next = range[0];
  }

  /**
   * The address bind(2) gives `s`: a free ephemeral port for port 0, port 0 for an AF_UNIX
   * path; EADDRINUSE when another socket holds it.
   */
  bindAddress(s: Socket, host: string, port: number): NetResult<SockAddr> {
    const h = bindHost(host);
    if (!h.ok) return h;
    if (isUnixHost(h.value)) {
      if (!(s instanceof TcpSocket)) return fail("EOPNOTSUPP");
      return this.unixPathTaken(s, h.value) ? fail("EADDRINUSE") : ok({ host: h.value, port: 0 });
    }
    if (port === 0) {
      const p = this.ephemeral(s.proto);
      return p.ok ? ok({ host: h.value, port: p.value }) : p;
    }
    return this.bindConflict(s, h.value, port) ? fail("EADDRINUSE") : ok({ host: h.value, port });
  }

  /** listen(2) on a bound (or just auto-bound) address: another listener there conflicts unless both set SO_REUSEPORT. */
  listenConflict(s: TcpSocket, local: SockAddr): boolean {
    for (const o of this.sockets.values()) {
      if (o !== s && o instanceof TcpSocket && o.state === "LISTEN" && o.local?.port === local.port && hostsOverlap(o.local.host, local.host) && !(o.reusePort && s.reusePort)) return true;
    }
    return false;
  }

  /** Hands out the range from its start again (a fresh network: see NetCore.restart). */
  restart(): void {
    this.next = this.range[0];
  }

  /** The next free port of the ephemeral range, round robin; EADDRINUSE when all are taken. */
  ephemeral(proto: Proto): NetResult<number> {
    const [lo, hi] = this.range;
    const span = hi - lo + 1;
    for (let i = 0; i < span; i++) {
      const port = this.next;
      this.next = port >= hi ? lo : port + 1;
      if (!this.inUse(proto, port)) return ok(port);
    }
    return fail("EADDRINUSE");
  }

  /** The listening TCP socket for `addr`, if any. */
  tcpListener(addr: SockAddr): TcpSocket | null {
    for (const o of this.sockets.values()) {
      if (o instanceof TcpSocket && o.state === "LISTEN" && o.local?.port === addr.port && hostsOverlap(o.local.host, addr.host)) return o;
    }
    return null;
  }

  /** The UDP socket bound to `to` that accepts datagrams from `from`, if any. */
  udpTarget(to: SockAddr, from: SockAddr): UdpSocket | null {
    let found: UdpSocket | null = null;
    for (const o of this.sockets.values()) {
      if (!(o instanceof UdpSocket) || !o.local || o.local.port !== to.port || !hostsOverlap(o.local.host, to.host)) continue;
      if (o.remote && (o.remote.port !== from.port || !hostsOverlap(o.remote.host, from.host))) continue;
      found = o; // the most recently bound wins, like Linux's unicast delivery with SO_REUSEADDR
    }
    return found;
  }

  /**
   * Only another socket bound to the path conflicts (the file's existence is checked by the
   * Python side); connections accepted on it or lingering in TIME_WAIT do not.
   */
  private unixPathTaken(s: TcpSocket, path: string): boolean {
    for (const o of this.sockets.values()) {
      if (o !== s && o instanceof TcpSocket && o.local?.host === path && (o.state === "LISTEN" || (o.state === "CLOSED" && !o.wasConnected))) return true;
    }
    return false;
  }

  /** Linux's bind rules, simplified to one interface (inet_csk_bind_conflict). */
  private bindConflict(s: Socket, host: string, port: number): boolean {
    for (const o of this.sockets.values()) {
      if (o === s || o.proto !== s.proto || !o.local || o.local.port !== port) continue;
      if (!hostsOverlap(o.local.host, host)) continue;
      if (o.reusePort && s.reusePort) continue;
      if (o instanceof TcpSocket) {
        // A connection in TIME_WAIT keeps the SO_REUSEADDR of its socket (an accepted one, its
        // listener's): like any other non-listening socket, it gives way only when both set it.
        if (o.state === "LISTEN") return true;
      }
      if (!(s.reuseAddr && o.reuseAddr)) return true;
    }
    return false;
  }

  private inUse(proto: Proto, port: number): boolean {
    for (const o of this.sockets.values()) if (o.proto === proto && o.local?.port === port) return true;
    return false;
  }
}
