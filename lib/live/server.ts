/**
 * Server entry of lib/live: the process-wide LiveHub the route handlers share.
 * Server-only (node:crypto, ioredis); browsers import from "@/lib/live" (index.ts).
 */
import type { SessionBackend } from "./backend";
import { clientAddress, parseTrustProxy, type TrustProxy } from "./client-address";
import { DEFAULT_CAPS, LiveHub, type LiveCaps } from "./hub";
import { MemoryBackend } from "./memory-backend";
import { MemoryRateLimiter, RedisRateLimiter, SplitRateLimiter, type RateLimiter, type TokenBucketOptions } from "./rate-limit";
import { RedisBackend } from "./redis-backend";

export { LiveHub, DEFAULT_TTL_MS, DEFAULT_CAPS, type HubErrorCode, type HubResult, type LiveHubOptions, type LiveCaps, type Follow } from "./hub";
export { installPeerStamp, parseTrustProxy, clientAddress, PEER_HEADER, type TrustProxy } from "./client-address";
export { MemoryBackend, type MemoryBackendOptions } from "./memory-backend";
export { RedisBackend, type RedisBackendOptions } from "./redis-backend";
export type { SessionBackend, StoredSession, LiveListener, ApplyResult } from "./backend";
export { MemoryRateLimiter, RedisRateLimiter, SplitRateLimiter, type RateLimiter, type RateLimitResult, type TokenBucketOptions } from "./rate-limit";
export { generateJoinCode, generateInstructorToken, hashToken, tokenMatches, followTicket } from "./codes";
export { sseEvent, ssePing, sseRetry, SSE_RETRY_MS } from "./sse";

/** Failed joins/drives: 30 per address (a class's typos behind one NAT), then one every 2 s. */
export const GUESS_PER_IP: TokenBucketOptions = { capacity: 30, refillPerSecond: 0.5 };
/** Session creation: 10 per address, then one a minute. */
export const CREATE_PER_IP: TokenBucketOptions = { capacity: 10, refillPerSecond: 1 / 60 };
/** Session creation from everyone together: 60 a minute. */
export const CREATE_GLOBAL: TokenBucketOptions = { capacity: 60, refillPerSecond: 1 };

/**
 * Reads REDIS_URL, TRUST_PROXY (see client-address.ts), SPAWNPOINT_LIVE_TTL_MS (idle lifetime of
 * sessions in ms; tests shorten it) and the caps SPAWNPOINT_LIVE_MAX_OPEN_SESSIONS,
 * SPAWNPOINT_LIVE_MAX_STREAMS_PER_ADDRESS, SPAWNPOINT_LIVE_MAX_STREAMS_PER_SESSION.
 */
export type LiveEnv = Readonly<Record<string, string | undefined>>;

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function liveCaps(env: LiveEnv): LiveCaps {
  return {
    maxOpenSessions: positive(env.SPAWNPOINT_LIVE_MAX_OPEN_SESSIONS) ?? DEFAULT_CAPS.maxOpenSessions,
    maxStreamsPerAddress: positive(env.SPAWNPOINT_LIVE_MAX_STREAMS_PER_ADDRESS) ?? DEFAULT_CAPS.maxStreamsPerAddress,
    maxStreamsPerSession: positive(env.SPAWNPOINT_LIVE_MAX_STREAMS_PER_SESSION) ?? DEFAULT_CAPS.maxStreamsPerSession,
  };
}

export function createLiveHub(env: LiveEnv = process.env): LiveHub {
  const ttlMs = positive(env.SPAWNPOINT_LIVE_TTL_MS);
  let backend: SessionBackend;
  let guessLimiter: RateLimiter;
  let createLimiter: RateLimiter;
  if (env.REDIS_URL) {
    const redisBackend = new RedisBackend({ url: env.REDIS_URL });
    const prefix = "spawnpoint:live:rl:";
    guessLimiter = new RedisRateLimiter(redisBackend.redis, `${prefix}guess:`, GUESS_PER_IP);
    createLimiter = new SplitRateLimiter(new RedisRateLimiter(redisBackend.redis, `${prefix}create:`, CREATE_PER_IP), new RedisRateLimiter(redisBackend.redis, `${prefix}create:`, CREATE_GLOBAL));
    backend = redisBackend;
  } else {
    backend = new MemoryBackend();
    guessLimiter = new MemoryRateLimiter(GUESS_PER_IP);
    createLimiter = new SplitRateLimiter(new MemoryRateLimiter(CREATE_PER_IP), new MemoryRateLimiter(CREATE_GLOBAL));
  }
  return new LiveHub({ backend, guessLimiter, createLimiter, ttlMs, caps: liveCaps(env) });
}

const globalForHub = globalThis as typeof globalThis & { __spawnpointLiveHub?: LiveHub };

/** One hub per server process (route handlers may be loaded in several module graphs). */
export function getLiveHub(): LiveHub {
  return (globalForHub.__spawnpointLiveHub ??= createLiveHub());
}

export { bearerToken, followTicketOf, readJsonBody, json, hubError, bodyError, BodyError } from "./http";

const globalForTrust = globalThis as typeof globalThis & { __spawnpointTrustProxy?: TrustProxy };

/** The request's client address under this process's TRUST_PROXY setting (read once). */
export function clientIp(request: Request): string {
  const trust = (globalForTrust.__spawnpointTrustProxy ??= parseTrustProxy(process.env.TRUST_PROXY));
  return clientAddress(request.headers, trust);
}

/**
 * Open follower streams, closed on SIGTERM/SIGINT: Next.js's graceful shutdown waits for open
 * connections, and an SSE stream never ends by itself. Closed without an "ended" event, so
 * followers reconnect (to another instance, or to this one once it is back).
 */
const openStreams = new Set<() => void>();
let shutdownHooked = false;

export function trackStream(close: () => void): () => void {
  if (!shutdownHooked) {
    shutdownHooked = true;
    const closeAll = () => {
      for (const stream of [...openStreams]) stream();
    };
    process.once("SIGTERM", closeAll);
    process.once("SIGINT", closeAll);
  }
  openStreams.add(close);
  return () => void openStreams.delete(close);
}
