/**
 * UDP over the loopback: whole datagrams, each `recvfrom` returns one (truncated to the
 * buffer, the rest dropped, as recvfrom(2) does). A datagram to a port nobody has bound is
 * lost; if the sender is connect()ed it gets ECONNREFUSED on its next call (Linux delivers
 * the ICMP "port unreachable" to connected sockets only). A full receive buffer drops.
 */
import { Errno } from "../errors";
import { fail, failErrno, type NetResult, ok } from "./result";
import { type Datagram, MAX_DATAGRAM, type UdpSocket } from "./sockets";
import { POLLERR, POLLIN, POLLOUT, type SockAddr } from "./types";

export interface UdpRoute {
  /** The socket bound to `to` that accepts datagrams from `from`, if any. */
  find(to: SockAddr, from: SockAddr): UdpSocket | null;
  touch(s: UdpSocket): void;
}

export function udpSendTo(route: UdpRoute, s: UdpSocket, data: Uint8Array, to: SockAddr): NetResult<number> {
  const err = s.takeError();
  if (err) return failErrno(err);
  if (s.wrShut) return fail("EPIPE");
  if (data.length > MAX_DATAGRAM) return fail("EMSGSIZE");
  const from: SockAddr = { host: s.local?.host === "0.0.0.0" ? "127.0.0.1" : (s.local?.host ?? "127.0.0.1"), port: s.local?.port ?? 0 };
  const dest = route.find(to, from);
  if (!dest) {
    if (s.remote) {
      s.soError = Errno.ECONNREFUSED;
      route.touch(s);
    }
    return ok(data.length);
  }
  if (dest.rxBytes + data.length <= dest.rcvbuf) {
    dest.rxq.push({ data: data.slice(), from });
    dest.rxBytes += data.length;
    route.touch(dest);
  }
  return ok(data.length);
}

export function udpRecvFrom(s: UdpSocket, n: number, peek: boolean): NetResult<Datagram> {
  const first = s.rxq[0];
  if (!first) {
    const err = s.takeError();
    if (err) return failErrno(err);
    if (s.rdShut) return ok({ data: new Uint8Array(0), from: { host: "0.0.0.0", port: 0 } });
    return fail("EAGAIN");
  }
  if (!peek) {
    s.rxq.shift();
    s.rxBytes -= first.data.length;
  }
  return ok({ data: first.data.slice(0, Math.max(0, n)), from: first.from });
}

export function udpPoll(s: UdpSocket): number {
  let mask = POLLOUT;
  if (s.rxq.length > 0 || s.rdShut) mask |= POLLIN;
  if (s.soError) mask |= POLLERR | POLLIN;
  return mask;
}
