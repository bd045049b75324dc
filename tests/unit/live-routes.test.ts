/**
 * The app/api/live route handlers, called in-process with web Requests (the same objects Next
 * passes them): status codes, SSE framing, heartbeats and Last-Event-ID resume.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseParser, type SseMessage } from "@/lib/live";

process.env.SPAWNPOINT_LIVE_HEARTBEAT_MS = "50";
process.env.SPAWNPOINT_LIVE_MAX_STREAMS_PER_ADDRESS = "3";
process.env.SPAWNPOINT_LIVE_MAX_STREAMS_PER_SESSION = "5";
delete process.env.TRUST_PROXY;

/** What instrumentation.ts stamps on every request: the socket's address (see lib/live/client-address.ts). */
const PEER = "x-spawnpoint-peer";

type Handler = (request: Request, ctx: { params: Promise<{ code: string }> }) => Promise<Response>;
let create: (request: Request) => Promise<Response>;
let lookup: Handler;
let end: Handler;
let drive: Handler;
let events: Handler;

beforeAll(async () => {
  (await import("@/lib/live/client-address")).installPeerStamp();
  create = (await import("@/app/api/live/sessions/route.server")).POST;
  ({ GET: lookup, DELETE: end } = await import("@/app/api/live/sessions/[code]/route.server"));
  drive = (await import("@/app/api/live/sessions/[code]/drive/route.server")).POST;
  events = (await import("@/app/api/live/sessions/[code]/events/route.server")).GET;
});

afterAll(async () => {
  const { getLiveHub } = await import("@/lib/live/server");
  await getLiveHub().dispose();
});

const base = "http://localhost/api/live/sessions";
const ctx = (code: string) => ({ params: Promise.resolve({ code }) });
const headers = (extra: Record<string, string> = {}) => ({ "content-type": "application/json", [PEER]: "192.0.2.1", ...extra });

async function newSession(): Promise<{ code: string; token: string }> {
  const r = await create(new Request(base, { method: "POST", headers: headers(), body: JSON.stringify({ lesson: { lang: "en", slug: "pids" } }) }));
  expect(r.status).toBe(201);
  return (await r.json()) as { code: string; token: string };
}

function post(code: string, body: unknown, token?: string): Promise<Response> {
  return drive(
    new Request(`${base}/${code}/drive`, { method: "POST", headers: headers(token ? { authorization: `Bearer ${token}` } : {}), body: JSON.stringify(body) }),
    ctx(code),
  );
}

/** Reads SSE messages from a response until `until` says stop (then cancels the stream). */
async function read(response: Response, until: (messages: SseMessage[]) => boolean): Promise<{ raw: string; messages: SseMessage[] }> {
  const messages: SseMessage[] = [];
  let raw = "";
  const parser = new SseParser((m) => messages.push(m));
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  while (!until(messages)) {
    const { done, value } = await reader.read();
    if (done) break;
    const text = decoder.decode(value, { stream: true });
    raw += text;
    parser.feed(text);
  }
  await reader.cancel();
  return { raw, messages };
}

describe("app/api/live", () => {
  describe("POST /sessions", () => {
    it("should refuse a body that is not JSON, too large, or invalid", async () => {
      const send = (body: string, type = "application/json") => create(new Request(base, { method: "POST", headers: { ...headers(), "content-type": type }, body }));
      expect((await send("{", "application/json")).status).toBe(400);
      expect((await send("{}", "text/plain")).status).toBe(415);
      expect((await send(JSON.stringify({ lesson: { lang: "en", slug: "x" }, pad: "x".repeat(5000) }))).status).toBe(413);
      const invalid = await send(JSON.stringify({ lesson: { lang: "de", slug: "x" } }));
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { message: string }).message).toBeTruthy();
    });
  });

  describe("POST /sessions/:code/drive", () => {
    it("should need the instructor's token", async () => {
      const { code, token } = await newSession();
      expect((await post(code, { type: "slide", slide: 2 })).status).toBe(403);
      expect((await post(code, { type: "slide", slide: 2 }, "forged")).status).toBe(403);
      expect((await post(code, { type: "slide", slide: 2 }, token)).status).toBe(200);
      expect((await post(code, { type: "slide", slide: "2" }, token)).status).toBe(400);
      expect((await post("ZZZZZZZ", { type: "slide", slide: 2 }, token)).status).toBe(404);
    });
  });

  describe("GET /sessions/:code/events", () => {
    it("should send a retry hint, the current state with its seq as id, then changes and heartbeats", async () => {
      const { code, token } = await newSession();
      await post(code, { type: "slide", slide: 4 }, token);
      const response = await events(new Request(`${base}/${code}/events`, { headers: headers() }), ctx(code));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(response.headers.get("cache-control")).toContain("no-transform");
      setTimeout(() => void post(code, { type: "scheduler", id: "zombie", step: 3 }, token), 20);
      const { raw, messages } = await read(response, (m) => m.some((x) => x.event === "state" && x.id === "2") && m.some((x) => x.event === "ping"));
      expect(raw.startsWith("retry: ")).toBe(true);
      const states = messages.filter((m) => m.event === "state");
      expect(states.map((m) => m.id)).toEqual(["1", "2"]);
      expect(JSON.parse(states[1].data)).toEqual({ type: "state", seq: 2, state: { slide: 4, steps: { zombie: 3 } } });
    });

    it("should resume after Last-Event-ID without repeating what the follower has", async () => {
      const { code, token } = await newSession();
      await post(code, { type: "slide", slide: 1 }, token);
      const response = await events(new Request(`${base}/${code}/events`, { headers: headers({ "last-event-id": "1" }) }), ctx(code));
      setTimeout(() => void post(code, { type: "slide", slide: 2 }, token), 20);
      const { messages } = await read(response, (m) => m.some((x) => x.event === "state"));
      expect(messages.filter((m) => m.event === "state").map((m) => m.id)).toEqual(["2"]);
    });

    it("should end the stream with an ended event when the instructor ends the session", async () => {
      const { code, token } = await newSession();
      const response = await events(new Request(`${base}/${code}/events`, { headers: headers() }), ctx(code));
      setTimeout(() => void end(new Request(`${base}/${code}`, { method: "DELETE", headers: headers({ authorization: `Bearer ${token}` }) }), ctx(code)), 20);
      const { messages } = await read(response, (m) => m.some((x) => x.event === "ended"));
      expect(JSON.parse(messages.at(-1)!.data)).toEqual({ type: "ended", reason: "ended" });
      expect((await lookup(new Request(`${base}/${code}`, { headers: headers() }), ctx(code))).status).toBe(404);
    });

    it("should answer 404 for an unknown session and 429 to an address that keeps guessing", async () => {
      let status = 0;
      for (let i = 0; i < 40 && status !== 429; i++) {
        const r = await events(new Request(`${base}/ZZZZZZZ/events`, { headers: headers({ [PEER]: "198.51.100.77" }) }), ctx("ZZZZZZZ"));
        status = r.status;
        if (i === 0) expect(status).toBe(404);
        if (status === 429) expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(status).toBe(429);
    });
  });

  describe("abuse", () => {
    const stream = (code: string, peer: string, query = "") => events(new Request(`${base}/${code}/events${query}`, { headers: headers({ [PEER]: peer }) }), ctx(code));

    it("should take the address from the socket: a forged X-Forwarded-For does not escape the create limit", async () => {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 12; i++) {
        last = await create(
          new Request(base, { method: "POST", headers: headers({ [PEER]: "203.0.113.50", "x-forwarded-for": `10.20.${i}.1` }), body: JSON.stringify({ lesson: { lang: "en", slug: "pids" } }) }),
        );
        statuses.push(last.status);
      }
      expect(statuses).toEqual([...Array(10).fill(201), 429, 429]);
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    it("should cap streams per address with 429 and Retry-After, and free the slot when a stream closes", async () => {
      const { code } = await newSession();
      const open = [await stream(code, "203.0.113.60"), await stream(code, "203.0.113.60"), await stream(code, "203.0.113.60")];
      expect(open.map((r) => r.status)).toEqual([200, 200, 200]);
      const over = await stream(code, "203.0.113.60");
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      await open[0].body?.cancel();
      const again = await stream(code, "203.0.113.60");
      expect(again.status).toBe(200);
      for (const r of [open[1], open[2], again]) await r.body?.cancel();
    });

    it("should cap streams per session with 429 and Retry-After", async () => {
      const { code } = await newSession();
      const open = [];
      for (let i = 0; i < 5; i++) open.push(await stream(code, `203.0.113.${70 + i}`));
      expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const over = await stream(code, "203.0.113.79");
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      for (const r of open) await r.body?.cancel();
    });

    it("should never refuse a student's reconnect with its ticket, even after its address spent its guesses", async () => {
      const { code } = await newSession();
      const joined = await lookup(new Request(`${base}/${code}`, { headers: headers({ [PEER]: "203.0.113.90" }) }), ctx(code));
      expect(joined.status).toBe(200);
      const { ticket } = (await joined.json()) as { ticket: string };
      let status = 0;
      for (let i = 0; i < 60 && status !== 429; i++) status = (await lookup(new Request(`${base}/ZZZZZZZ`, { headers: headers({ [PEER]: "203.0.113.90" }) }), ctx("ZZZZZZZ"))).status;
      expect(status).toBe(429);
      expect((await stream(code, "203.0.113.90")).status).toBe(429);
      const reconnect = await stream(code, "203.0.113.90", `?ticket=${ticket}&after=0`);
      expect(reconnect.status).toBe(200);
      await reconnect.body?.cancel();
      // Other addresses' failures never touch a right code.
      const other = await stream(code, "203.0.113.91");
      expect(other.status).toBe(200);
      await other.body?.cancel();
    });
  });
});
