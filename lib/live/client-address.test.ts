import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientAddress, installPeerStamp, parseTrustProxy, PEER_HEADER } from "./client-address";

const headers = (peer: string, xff?: string) => new Headers({ [PEER_HEADER]: peer, ...(xff ? { "x-forwarded-for": xff } : {}) });

describe("clientAddress", () => {
  it("should use the socket's address and ignore X-Forwarded-For when TRUST_PROXY is off", () => {
    for (const off of [undefined, "", "0", "false", "off"]) {
      expect(clientAddress(headers("203.0.113.5", "198.51.100.1, 198.51.100.2"), parseTrustProxy(off), true)).toBe("203.0.113.5");
    }
  });

  it("should ignore the peer header when no server stamped it (it could be the client's own)", () => {
    expect(clientAddress(headers("203.0.113.5"), parseTrustProxy(undefined), false)).toBe("unknown");
  });

  it("should skip exactly N proxies from the right with TRUST_PROXY=N", () => {
    const h = headers("10.0.0.2", "198.51.100.66, 203.0.113.9, 10.0.0.1");
    expect(clientAddress(h, parseTrustProxy("1"), true)).toBe("10.0.0.1");
    expect(clientAddress(h, parseTrustProxy("2"), true)).toBe("203.0.113.9");
    // More hops than the chain has: the left-most entry, never past it.
    expect(clientAddress(h, parseTrustProxy("9"), true)).toBe("198.51.100.66");
  });

  it("should take the right-most hop that is not a trusted proxy with a TRUST_PROXY list", () => {
    const trust = parseTrustProxy("loopback, 10.0.0.0/8");
    // The client forged "198.51.100.66"; the trusted proxy appended the real address 203.0.113.9.
    expect(clientAddress(headers("127.0.0.1", "198.51.100.66, 203.0.113.9, 10.1.2.3"), trust, true)).toBe("203.0.113.9");
    // A request that did not come through a trusted proxy: its header is ignored.
    expect(clientAddress(headers("203.0.113.77", "198.51.100.66"), trust, true)).toBe("203.0.113.77");
    expect(clientAddress(headers("::1", "2001:db8::5"), parseTrustProxy("loopback"), true)).toBe("2001:db8::5");
    expect(clientAddress(headers("192.168.1.1", "203.0.113.4"), parseTrustProxy("private"), true)).toBe("203.0.113.4");
  });

  it("should refuse settings that trust every hop or are not addresses", () => {
    expect(() => parseTrustProxy("true")).toThrow(/every hop/);
    expect(() => parseTrustProxy("proxy.example")).toThrow(/not an address/);
  });
});

describe("installPeerStamp", () => {
  it("should stamp each request with its socket's address, overwriting a forged one", async () => {
    installPeerStamp();
    const seen: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers[PEER_HEADER] as string | undefined);
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "198.51.100.1", "x-forwarded-for": "198.51.100.2" } });
      await fetch(`http://127.0.0.1:${port}/`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});
