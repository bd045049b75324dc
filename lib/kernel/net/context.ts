/** What the protocol code (tcp.ts, udp.ts) needs from the network that owns it. */
import type { NetResult } from "./result";
import type { Socket, TcpSocket } from "./sockets";
import type { Proto, SockAddr, SocketState } from "./types";

export interface NetConfig {
  readonly timeWaitMs: number;
  readonly finTimeoutMs: number;
  readonly maxBacklog: number;
}

export interface NetContext {
  readonly config: NetConfig;
  /** Changes a TCP state and reports it on the event stream. */
  setState(s: TcpSocket, state: SocketState): void;
  /** Readiness of `s` may have changed: wake whoever waits on it. */
  touch(s: Socket): void;
  /** Bytes in flight from `from` to `to` changed. */
  bytes(from: TcpSocket, to: TcpSocket): void;
  /** The endpoint is gone for good: forget it and free its port. */
  destroy(s: Socket): void;
  /** Runs `fn` after `ms` on the network's clock; returns a cancel function. */
  later(ms: number, fn: () => void): () => void;
  /** Picks a free ephemeral port (or fails with EADDRINUSE when all are taken). */
  ephemeralPort(proto: Proto): NetResult<number>;
  /** A listening TCP socket for `addr`, or a bound UDP socket, if any. */
  findListener(addr: SockAddr): TcpSocket | null;
  newTcp(): TcpSocket;
  /** Gives a new connection its two socket rings (when the network has a shared heap with room). */
  connectRings(a: TcpSocket, b: TcpSocket): void;
}
