/**
 * The socket objects: one per endpoint. A socket is an *open file description*: any number
 * of file descriptors in any number of processes may refer to it (`refs`), and it only
 * closes when the last one goes (close(2) semantics, which is what makes passing a
 * connection to a child process work). After that a TCP endpoint may live on as an
 * *orphan* while it finishes its shutdown (FIN_WAIT_2, TIME_WAIT), as in Linux.
 */
import { ByteQueue } from "./byte-queue";
import type { RingRx, RxBuffer } from "./sock-ring";
import type { Proto, SockAddr, SocketInfo, SocketState } from "./types";

/** Linux loopback defaults (net.ipv4.tcp_rmem / tcp_wmem middle values, rounded). */
export const DEFAULT_RCVBUF = 131072;
export const DEFAULT_SNDBUF = 65536;
/** Largest UDP payload over IPv4. */
export const MAX_DATAGRAM = 65507;

abstract class SocketBase {
  abstract readonly proto: Proto;
  /** Descriptors per process (pid → count). */
  readonly refs = new Map<number, number>();
  /** References held by sockets in flight to another process (pickled, not yet unpickled). */
  tickets = 0;
  /** No descriptor and no ticket is left. */
  orphan = false;
  local: SockAddr | null = null;
  remote: SockAddr | null = null;
  reuseAddr = false;
  reusePort = false;
  keepAlive = false;
  broadcast = false;
  rcvbuf = DEFAULT_RCVBUF;
  sndbuf = DEFAULT_SNDBUF;
  /** Pending asynchronous error (SO_ERROR): reported once by the next call that looks. */
  soError = 0;
  rdShut = false;
  wrShut = false;

  constructor(readonly id: number) {}

  get holders(): number {
    let n = this.tickets;
    for (const c of this.refs.values()) n += c;
    return n;
  }

  pids(): number[] {
    return [...this.refs.keys()].sort((a, b) => a - b);
  }

  /** Takes the pending error (SO_ERROR semantics: reading clears it). */
  takeError(): number {
    const e = this.soError;
    this.soError = 0;
    return e;
  }
}

export class TcpSocket extends SocketBase {
  readonly proto = "tcp" as const;
  state: SocketState = "CLOSED";
  /** Bytes the peer sent that we have not read (a socket ring once connected, when the heap has room). */
  rx: RxBuffer = new ByteQueue();
  /** The ring this endpoint writes into (the peer's `rx`), kept after the peer is gone. */
  tx: RingRx | null = null;
  peer: TcpSocket | null = null;
  /** The peer's FIN arrived: after `rx` drains, reads return b"". */
  finReceived = false;
  /** The connection existed once (so a CLOSED socket is "was connected", not "fresh"). */
  wasConnected = false;
  nodelay = false;
  /** Listening sockets: connections ready for accept() and SYNs waiting for room. */
  backlog = 0;
  readonly acceptQueue: TcpSocket[] = [];
  readonly synQueue: TcpSocket[] = [];
  /**
   * A non-blocking connect() answered EINPROGRESS although the loopback handshake was already
   * done: Linux's next connect() reports the completion (0) once, then EISCONN.
   */
  connectUnreported = false;
  /** A client waiting in a full listener's SYN queue. */
  connectingTo: TcpSocket | null = null;
  /** An accepted-but-not-yet-accept()ed connection belongs to its listener. */
  listener: TcpSocket | null = null;
  /** Cancels the TIME_WAIT / FIN_WAIT_2 timer. */
  cancelTimer: (() => void) | null = null;
}

export interface Datagram {
  readonly data: Uint8Array;
  readonly from: SockAddr;
}

export class UdpSocket extends SocketBase {
  readonly proto = "udp" as const;
  readonly rxq: Datagram[] = [];
  rxBytes = 0;

  get state(): SocketState {
    return this.remote ? "ESTABLISHED" : "UNCONN";
  }
}

export type Socket = TcpSocket | UdpSocket;

/** One endpoint as `ss -tuanp` shows it. */
export function socketInfo(s: Socket): SocketInfo {
  if (s instanceof UdpSocket) {
    return { sock: s.id, proto: s.proto, state: s.state, local: s.local, remote: s.remote, recvQ: s.rxBytes, sendQ: 0, backlog: 0, pids: s.pids(), orphan: s.orphan };
  }
  const listening = s.state === "LISTEN";
  const peerRx = s.peer?.rx.length ?? 0;
  return {
    sock: s.id,
    proto: s.proto,
    state: s.state,
    local: s.local,
    remote: listening ? null : s.remote,
    recvQ: listening ? s.acceptQueue.length : Math.min(s.rx.length, s.rcvbuf),
    sendQ: listening ? s.backlog : Math.max(0, peerRx - (s.peer?.rcvbuf ?? 0)),
    backlog: s.acceptQueue.length,
    pids: s.pids(),
    orphan: s.orphan,
  };
}
