/**
 * The TCP state machine over the loopback.
 *
 * On a loopback every segment arrives at once, so a handshake or a FIN/ACK exchange is
 * done within the call that starts it; the transient states (SYN_RECEIVED, FIN_WAIT_1,
 * LAST_ACK) are still entered and reported so the event stream tells the whole story.
 * What takes time here is what takes time on Linux too: a SYN waiting for room in a full
 * backlog, data waiting for the reader, an orphan in FIN_WAIT_2 waiting for the peer's
 * FIN, and TIME_WAIT (which keeps the port busy; SO_REUSEADDR exists for that).
 *
 * Resets follow Linux (tcp_reset, tcp_close): closing with unread data sends RST instead of
 * FIN; data arriving at a closed (orphaned) endpoint is answered with RST; an RST makes
 * the next call fail with ECONNRESET — or EPIPE if we were in CLOSE_WAIT — once, after
 * which reads see end of file and writes EPIPE.
 *
 * One file, a little over the usual size: the transitions of one state machine read best side by side.
 */
import type { NetContext } from "./context";
import { Errno } from "../errors";
import { fail, failErrno, type NetResult, ok } from "./result";
import type { TcpSocket } from "./sockets";
import { POLLERR, POLLHUP, POLLIN, POLLOUT, SHUT_RD, SHUT_RDWR, SHUT_WR, type SockAddr } from "./types";

const CONNECTED = new Set(["ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "LAST_ACK", "TIME_WAIT"]);

/** Room left in the direction s → s.peer: the peer's receive buffer plus our send buffer. */
function room(s: TcpSocket, peer: TcpSocket): number {
  return Math.min(peer.rcvbuf + s.sndbuf - peer.rx.length, peer.rx.space);
}

export function tcpListen(ctx: NetContext, s: TcpSocket, backlog: number): NetResult<null> {
  if (s.state === "LISTEN") {
    s.backlog = clampBacklog(ctx, backlog);
    return ok(null);
  }
  if (s.state !== "CLOSED" || s.wasConnected) return fail("EINVAL");
  s.backlog = clampBacklog(ctx, backlog);
  ctx.setState(s, "LISTEN");
  return ok(null);
}

function clampBacklog(ctx: NetContext, backlog: number): number {
  return Math.max(0, Math.min(Math.trunc(backlog), ctx.config.maxBacklog));
}

/** Linux keeps up to backlog + 1 established connections waiting for accept(). */
function acceptQueueFull(l: TcpSocket): boolean {
  return l.acceptQueue.length > l.backlog;
}

/**
 * connect(): `ok` when the connection is established, EINPROGRESS while the SYN waits in a
 * full backlog (the socket becomes writable when it is established, or reports
 * ECONNREFUSED through SO_ERROR if the listener goes away). A non-blocking connect always
 * answers EINPROGRESS, as Linux's TCP does even on the loopback: the outcome is then read
 * with SO_ERROR or the next connect() (0 once, or the refusal).
 */
export function tcpConnect(ctx: NetContext, s: TcpSocket, dest: SockAddr, nonblock = false): NetResult<null> {
  if (s.state === "SYN_SENT") return fail("EALREADY");
  if (s.state !== "CLOSED" || s.wasConnected) {
    if (s.connectUnreported) {
      s.connectUnreported = false;
      return ok(null);
    }
    return fail("EISCONN");
  }
  const pending = s.takeError();
  if (pending) return failErrno(pending);
  const listener = ctx.findListener(dest);
  s.remote = dest;
  ctx.setState(s, "SYN_SENT");
  if (!listener) {
    // The loopback answers a SYN to a closed port with RST at once.
    s.remote = null;
    ctx.setState(s, "CLOSED");
    if (!nonblock) return fail("ECONNREFUSED");
    s.soError = Errno.ECONNREFUSED;
    ctx.touch(s);
    return fail("EINPROGRESS");
  }
  if (acceptQueueFull(listener)) {
    s.connectingTo = listener;
    listener.synQueue.push(s);
    s.connectUnreported = nonblock;
    return fail("EINPROGRESS");
  }
  establish(ctx, listener, s);
  if (!nonblock) return ok(null);
  s.connectUnreported = true;
  return fail("EINPROGRESS");
}

/** Completes a handshake: a new socket for the server side waits in the accept queue. */
function establish(ctx: NetContext, listener: TcpSocket, client: TcpSocket): void {
  const child = ctx.newTcp();
  child.local = { host: client.remote?.host ?? "127.0.0.1", port: listener.local?.port ?? 0 };
  child.remote = client.local;
  child.reuseAddr = listener.reuseAddr;
  child.rcvbuf = listener.rcvbuf;
  child.sndbuf = listener.sndbuf;
  child.nodelay = listener.nodelay;
  child.listener = listener;
  ctx.setState(child, "SYN_RECEIVED");
  client.connectingTo = null;
  client.peer = child;
  child.peer = client;
  client.wasConnected = true;
  child.wasConnected = true;
  ctx.connectRings(client, child);
  ctx.setState(client, "ESTABLISHED");
  ctx.setState(child, "ESTABLISHED");
  listener.acceptQueue.push(child);
  ctx.touch(listener);
  ctx.touch(client);
}

/** Takes the next established connection off a listener, letting a waiting SYN in. */
export function tcpAccept(ctx: NetContext, l: TcpSocket): NetResult<TcpSocket> {
  if (l.state !== "LISTEN") return fail("EINVAL");
  const child = l.acceptQueue.shift();
  if (!child) return fail("EAGAIN");
  child.listener = null;
  while (!acceptQueueFull(l) && l.synQueue.length > 0) {
    const next = l.synQueue.shift();
    if (next) establish(ctx, l, next);
  }
  return ok(child);
}

export function tcpSend(ctx: NetContext, s: TcpSocket, data: Uint8Array): NetResult<number> {
  const err = s.takeError();
  if (err) return failErrno(err);
  if (s.state === "SYN_SENT") return fail("EAGAIN");
  if (s.wrShut) return fail("EPIPE");
  if (s.state !== "ESTABLISHED" && s.state !== "CLOSE_WAIT") return fail("EPIPE");
  const peer = s.peer;
  if (!peer) return fail("EPIPE");
  if (data.length === 0) return ok(0);
  if (peer.orphan) {
    // The peer's application has closed: its kernel answers data with RST (the send
    // itself succeeded; the *next* call sees the error).
    resetPeerOf(ctx, peer);
    return ok(data.length);
  }
  const free = room(s, peer);
  if (free <= 0) return fail("EAGAIN");
  const n = Math.min(free, data.length);
  peer.rx.push(n === data.length ? data : data.subarray(0, n));
  ctx.bytes(s, peer);
  ctx.touch(peer);
  return ok(n);
}

/** `closer` aborts its connection: its peer receives RST. */
function resetPeerOf(ctx: NetContext, closer: TcpSocket): void {
  const peer = closer.peer;
  closer.peer = null;
  closer.rx.clear();
  ctx.setState(closer, "CLOSED");
  if (peer) {
    peer.peer = null;
    receiveReset(ctx, peer);
  }
  if (closer.orphan) ctx.destroy(closer);
}

/** An RST arrives at `s` (Linux tcp_reset). */
function receiveReset(ctx: NetContext, s: TcpSocket): void {
  s.soError = s.state === "CLOSE_WAIT" ? Errno.EPIPE : s.state === "SYN_SENT" ? Errno.ECONNREFUSED : Errno.ECONNRESET;
  s.wrShut = true;
  s.finReceived = true;
  s.cancelTimer?.();
  s.cancelTimer = null;
  ctx.setState(s, "CLOSED");
  ctx.touch(s);
  if (s.orphan) ctx.destroy(s);
}

export function tcpRecv(ctx: NetContext, s: TcpSocket, n: number, peek: boolean): NetResult<Uint8Array> {
  if (s.state === "LISTEN" || (s.state === "CLOSED" && !s.wasConnected && s.soError === 0)) return fail("ENOTCONN");
  if (s.rx.length > 0 && n > 0) {
    const data = s.rx.read(n, peek);
    if (!peek && s.peer) {
      ctx.bytes(s.peer, s);
      ctx.touch(s.peer);
    }
    return ok(data);
  }
  if (s.finReceived && s.soError !== Errno.ECONNRESET) return ok(new Uint8Array(0));
  const err = s.takeError();
  if (err) return failErrno(err);
  if (s.finReceived || s.rdShut || s.state === "CLOSED" || n === 0) return ok(new Uint8Array(0));
  return fail("EAGAIN");
}

/** Sends our FIN (shutdown(SHUT_WR) or the last close()). */
function sendFin(ctx: NetContext, s: TcpSocket): void {
  if (s.wrShut) return;
  s.wrShut = true;
  const closing = s.state === "CLOSE_WAIT";
  ctx.setState(s, closing ? "LAST_ACK" : "FIN_WAIT_1");
  const peer = s.peer;
  if (peer) {
    peer.finReceived = true;
    if (peer.state === "ESTABLISHED") ctx.setState(peer, "CLOSE_WAIT");
    else if (peer.state === "FIN_WAIT_2") enterTimeWait(ctx, peer);
    ctx.touch(peer);
  }
  // The peer's kernel ACKs the FIN at once.
  if (closing) {
    s.peer = null;
    if (peer) peer.peer = null;
    ctx.setState(s, "CLOSED");
    if (s.orphan) ctx.destroy(s);
  } else {
    ctx.setState(s, "FIN_WAIT_2");
    if (s.orphan) armFinTimeout(ctx, s);
  }
  ctx.touch(s);
}

function enterTimeWait(ctx: NetContext, s: TcpSocket): void {
  s.cancelTimer?.();
  ctx.setState(s, "TIME_WAIT");
  s.cancelTimer = ctx.later(ctx.config.timeWaitMs, () => {
    s.cancelTimer = null;
    s.peer = null;
    ctx.setState(s, "CLOSED");
    ctx.touch(s);
    if (s.orphan) ctx.destroy(s);
  });
}

/** An orphan in FIN_WAIT_2 whose peer never closes is dropped after tcp_fin_timeout. */
function armFinTimeout(ctx: NetContext, s: TcpSocket): void {
  s.cancelTimer?.();
  s.cancelTimer = ctx.later(ctx.config.finTimeoutMs, () => {
    s.cancelTimer = null;
    if (s.state !== "FIN_WAIT_2") return;
    if (s.peer) s.peer.peer = null;
    s.peer = null;
    ctx.setState(s, "CLOSED");
    ctx.destroy(s);
  });
}

export function tcpShutdown(ctx: NetContext, s: TcpSocket, how: number): NetResult<null> {
  if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) return fail("EINVAL");
  if (!CONNECTED.has(s.state) || s.state === "TIME_WAIT") return fail("ENOTCONN");
  if (how === SHUT_RD || how === SHUT_RDWR) {
    s.rdShut = true;
    ctx.touch(s);
  }
  if (how === SHUT_WR || how === SHUT_RDWR) sendFin(ctx, s);
  return ok(null);
}

/** The last descriptor of `s` is closed (close(2) → tcp_close). */
export function tcpLastClose(ctx: NetContext, s: TcpSocket): void {
  s.orphan = true;
  switch (s.state) {
    case "LISTEN": {
      for (const child of s.acceptQueue.splice(0)) {
        child.orphan = true;
        child.listener = null;
        resetPeerOf(ctx, child);
      }
      for (const client of s.synQueue.splice(0)) {
        client.connectingTo = null;
        client.soError = Errno.ECONNREFUSED;
        client.remote = null;
        ctx.setState(client, "CLOSED");
        ctx.touch(client);
      }
      ctx.setState(s, "CLOSED");
      ctx.destroy(s);
      return;
    }
    case "SYN_SENT": {
      const l = s.connectingTo;
      if (l) l.synQueue.splice(l.synQueue.indexOf(s), 1);
      s.connectingTo = null;
      ctx.setState(s, "CLOSED");
      ctx.destroy(s);
      return;
    }
    case "CLOSED":
      ctx.destroy(s);
      return;
    case "TIME_WAIT":
      return; // the timer finishes it
    default:
      break;
  }
  if (s.rx.length > 0) {
    // Unread data: Linux sends RST instead of FIN (RFC 2525 §2.17).
    resetPeerOf(ctx, s);
    return;
  }
  if (s.wrShut) {
    if (s.state === "FIN_WAIT_2") armFinTimeout(ctx, s);
    return;
  }
  sendFin(ctx, s);
}

/** poll(2) bits, after Linux tcp_poll. */
export function tcpPoll(s: TcpSocket): number {
  let mask = 0;
  if (s.state === "LISTEN") return s.acceptQueue.length > 0 ? POLLIN : 0;
  if (s.soError) mask |= POLLERR;
  if ((s.rdShut && s.wrShut) || s.state === "CLOSED") mask |= POLLHUP;
  if (s.state === "SYN_SENT") return mask;
  if (s.rx.length > 0 || s.finReceived || s.rdShut) mask |= POLLIN;
  if (s.wrShut) mask |= POLLOUT;
  else if ((s.state === "ESTABLISHED" || s.state === "CLOSE_WAIT") && s.peer && room(s, s.peer) > 0) mask |= POLLOUT;
  else if (s.state === "CLOSED") mask |= POLLOUT;
  return mask;
}
