/** Shared types of the loopback network (lib/kernel/net). */

export type Proto = "tcp" | "udp";

/**
 * TCP states (RFC 793 names, as `ss` shows them). The loopback answers at once, so
 * SYN_RECEIVED and FIN_WAIT_1 are only passed through (they still appear in the event
 * stream); every other state can be observed for as long as it lasts. UDP sockets are
 * `UNCONN` or, once `connect()`ed, `ESTABLISHED`.
 */
export type SocketState =
  | "CLOSED"
  | "LISTEN"
  | "SYN_SENT"
  | "SYN_RECEIVED"
  | "ESTABLISHED"
  | "FIN_WAIT_1"
  | "FIN_WAIT_2"
  | "CLOSE_WAIT"
  | "CLOSING"
  | "LAST_ACK"
  | "TIME_WAIT"
  | "UNCONN";

/** An address as Python sees it: `("127.0.0.1", 5000)`. */
export interface SockAddr {
  readonly host: string;
  readonly port: number;
}

/** poll(2) bits, Linux values. */
export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
/** The descriptor is not open (poll(2) reports it, select(2) fails with EBADF instead). */
export const POLLNVAL = 0x020;

/** shutdown(2) `how`. */
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

/** Socket options the network understands (level is implied: SOL_SOCKET or IPPROTO_TCP). */
export type SockOpt = "SO_REUSEADDR" | "SO_REUSEPORT" | "SO_KEEPALIVE" | "SO_RCVBUF" | "SO_SNDBUF" | "SO_ERROR" | "SO_TYPE" | "SO_BROADCAST" | "TCP_NODELAY";

/**
 * What the network reports to the kernel event stream. `sock` is a stable id of the
 * endpoint (it outlives the file descriptors: a closed socket may linger in FIN_WAIT_2 or
 * TIME_WAIT). `pids` are the processes holding a descriptor of it, for the process panel.
 */
export type NetEvent =
  | {
      readonly type: "net.state";
      readonly sock: number;
      readonly proto: Proto;
      readonly state: SocketState;
      readonly prev: SocketState | null;
      readonly local: SockAddr | null;
      readonly remote: SockAddr | null;
      readonly pids: readonly number[];
    }
  | {
      /** Bytes written by `from` that `to` has not read yet (Send-Q + Recv-Q of that direction). */
      readonly type: "net.bytes";
      readonly from: number;
      readonly to: number;
      readonly inFlight: number;
    };

/** One row of `snapshot()`, like a line of `ss -tuanp`. */
export interface SocketInfo {
  readonly sock: number;
  readonly proto: Proto;
  readonly state: SocketState;
  readonly local: SockAddr | null;
  readonly remote: SockAddr | null;
  /** Bytes received and not yet read by the application. */
  readonly recvQ: number;
  /** Bytes sent and not yet read by the peer (queued beyond the peer's receive buffer). */
  readonly sendQ: number;
  /** Pending connections (listening sockets only). */
  readonly backlog: number;
  readonly pids: readonly number[];
  /** No process holds a descriptor any more; the endpoint finishes its shutdown alone. */
  readonly orphan: boolean;
}
