/** setsockopt(2) / getsockopt(2) on one socket, with Linux's rules for each option. */
import { fail, type NetResult, ok } from "./result";
import { type Socket, TcpSocket } from "./sockets";
import type { SockOpt } from "./types";

export function setOption(s: Socket, opt: SockOpt, value: number): NetResult<null> {
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
  return ok(null);
}

/** Every option but SO_ERROR, whose read clears the error (the network publishes that change). */
export function getOption(s: Socket, opt: Exclude<SockOpt, "SO_ERROR">): NetResult<number> {
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
    case "SO_TYPE":
      return ok(s.proto === "tcp" ? 1 : 2);
    case "TCP_NODELAY":
      return s instanceof TcpSocket ? ok(s.nodelay ? 1 : 0) : fail("EOPNOTSUPP");
  }
}
