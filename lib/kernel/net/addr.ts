/**
 * Addresses of the loopback network. The page is one computer with one interface, `lo`:
 * every 127.x.y.z address, `localhost`, the wildcard `0.0.0.0` and `''` name it. Anything
 * else would need an outside network, which a web page does not have.
 */
import { fail, NO_OUTSIDE_NETWORK, type NetResult, ok } from "./result";

export const LOOPBACK = "127.0.0.1";
export const ANY = "0.0.0.0";
/**
 * AF_UNIX stream sockets are TCP endpoints of this network whose host is `unix:` + the
 * socket's absolute path (or `\0name` in the abstract namespace), with port 0: binding the
 * same path twice conflicts, a connect finds the listener by path. A client that never
 * bound is `unix:` alone (unnamed, as Linux reports it). The socket file in the shared
 * file system (EADDRINUSE / ENOENT) is the Python side's job; the kernel's fs is not the
 * network's.
 */
export const UNIX_PREFIX = "unix:";

export function isUnixHost(host: string): boolean {
  return host.startsWith(UNIX_PREFIX);
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for hosts on this machine (127/8, the wildcard and the name localhost). */
export function isLocalHost(host: string): boolean {
  if (host === "" || host === "localhost" || host === ANY) return true;
  const m = IPV4.exec(host);
  return m !== null && m[1] === "127" && m.slice(1).every((o) => Number(o) <= 255);
}

/** The address a socket is bound to, as getsockname() reports it: `''` is the wildcard. */
export function bindHost(host: string): NetResult<string> {
  if (isUnixHost(host)) return ok(host);
  if (host === "" || host === ANY) return ok(ANY);
  if (host === "localhost") return ok(LOOPBACK);
  if (isLocalHost(host)) return ok(host);
  // Linux says EADDRNOTAVAIL for an address no interface has; we add why.
  return fail("EADDRNOTAVAIL", `Cannot assign requested address: ${host} is not this machine; ${NO_OUTSIDE_NETWORK}`);
}

/** The address a connection goes to: connecting to the wildcard reaches the loopback, as on Linux. */
export function peerHost(host: string): NetResult<string> {
  if (isUnixHost(host)) return ok(host);
  if (host === "" || host === ANY || host === "localhost") return ok(LOOPBACK);
  if (isLocalHost(host)) return ok(host);
  return fail("ENETUNREACH", NO_OUTSIDE_NETWORK);
}

export function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

export function formatAddr(a: { host: string; port: number } | null): string {
  return a ? `${a.host}:${a.port}` : "*:*";
}
