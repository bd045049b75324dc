/**
 * Which address a live-API request comes from, for rate limits and caps. Server-only.
 *
 * Next.js gives route handlers no socket: it only fills X-Forwarded-For from the socket when the
 * request has none, so a client that sends the header chooses its own address. `installPeerStamp`
 * (run once from instrumentation.ts) therefore writes the socket's address into PEER_HEADER on every
 * incoming request, overwriting whatever the client sent. With TRUST_PROXY off (the default) that
 * address is the client; with it on, X-Forwarded-For is read from the right, skipping only the
 * proxies the setting names, so the first hop no trusted proxy vouches for is the client.
 */
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";

export const PEER_HEADER = "x-spawnpoint-peer";

const STAMPED = Symbol.for("spawnpoint.peerStamp");
type Stamped = { [STAMPED]?: boolean };

/** Wraps `emit("request")` of Node's HTTP servers so every request carries its socket's address. */
export function installPeerStamp(): void {
  const global = globalThis as Stamped;
  if (global[STAMPED]) return;
  for (const proto of [http.Server.prototype, https.Server.prototype] as Array<{ emit: (event: string | symbol, ...args: unknown[]) => boolean }>) {
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        req.headers[PEER_HEADER] = normalize(req.socket?.remoteAddress ?? "") || "unknown";
      }
      return emit.call(this, event, ...args);
    };
  }
  global[STAMPED] = true;
}

export function peerStampInstalled(): boolean {
  return (globalThis as Stamped)[STAMPED] === true;
}

export type TrustProxy = { kind: "off" } | { kind: "hops"; hops: number } | { kind: "list"; list: BlockList; spec: string };

/**
 * TRUST_PROXY: unset, "", "0", "false" or "off" → off; a positive integer N → N proxies in front of
 * the server (the socket's peer is the first); otherwise a comma-separated list of proxy addresses
 * or CIDRs, with the shorthands "loopback" and "private". "true" is refused: trusting every hop
 * means trusting the client's own header.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "0" || v === "false" || v === "off") return { kind: "off" };
  if (/^\d+$/.test(v)) return { kind: "hops", hops: Number(v) };
  if (v === "true" || v === "all" || v === "*") {
    throw new Error(`TRUST_PROXY=${value}: say how many proxies are in front (a number) or which addresses they have; trusting every hop lets clients pick their address`);
  }
  const list = new BlockList();
  for (const item of v.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (item === "loopback") {
      list.addSubnet("127.0.0.0", 8, "ipv4");
      list.addAddress("::1", "ipv6");
    } else if (item === "private") {
      for (const [net, bits] of [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16]] as const) list.addSubnet(net, bits, "ipv4");
      list.addSubnet("fc00::", 7, "ipv6");
    } else {
      const [addr, bits] = item.split("/");
      const family = isIP(addr);
      if (!family) throw new Error(`TRUST_PROXY: "${item}" is not an address, a CIDR, "loopback" or "private"`);
      const type = family === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) list.addAddress(addr, type);
      else list.addSubnet(addr, Number(bits), type);
    }
  }
  return { kind: "list", list, spec: v };
}

/**
 * The client's address. Without the peer stamp (a server that did not run instrumentation.ts) the
 * peer header could be the client's own, so it is ignored and every request shares "unknown":
 * limits then hold for everyone together rather than being bypassable.
 */
export function clientAddress(headers: Headers, trust: TrustProxy, stamped = peerStampInstalled()): string {
  const peer = stamped ? headers.get(PEER_HEADER)?.trim() || "unknown" : "unknown";
  if (trust.kind === "off") return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normalize(s.trim()))
    .filter(Boolean);
  const chain = [...forwarded, peer];
  if (trust.kind === "hops") return chain[Math.max(0, chain.length - 1 - trust.hops)];
  let i = chain.length - 1;
  while (i > 0 && trusted(trust.list, chain[i])) i--;
  return chain[i];
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}
