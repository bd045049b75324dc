/**
 * Server entry of lib/live: the process-wide LiveHub the route handlers share.
 * Server-only (node:crypto, ioredis); browsers import from "@/lib/live" (index.ts).
 */
import type { SessionBackend } from "./backend";
import { LiveHub } from "./hub";
import { MemoryBackend } from "./memory-backend";
import { MemoryRateLimiter, RedisRateLimiter, SplitRateLimiter, type RateLimiter, type TokenBucketOptions } from "./rate-limit";
import { RedisBackend } from "./redis-backend";

export { LiveHub, DEFAULT_TTL_MS, type HubErrorCode, type HubResult, type LiveHubOptions, type Follow } from "./hub";
export { MemoryBackend, type MemoryBackendOptions } from "./memory-backend";
export { RedisBackend, type RedisBackendOptions } from "./redis-backend";
export type { SessionBackend, StoredSession, LiveListener, ApplyResult } from "./backend";
export { MemoryRateLimiter, RedisRateLimiter, SplitRateLimiter, type RateLimiter, type RateLimitResult, type TokenBucketOptions } from "./rate-limit";
export { generateJoinCode, generateInstructorToken, hashToken, tokenMatches } from "./codes";
export { sseEvent, ssePing, sseRetry, SSE_RETRY_MS } from "./sse";

/** Failed joins/drives: 20 per address, then one every 5 s. */
export const GUESS_PER_IP: TokenBucketOptions = { capacity: 20, refillPerSecond: 0.2 };
/** Failed attempts from everyone together: the backstop when X-Forwarded-For is forged. */
export const GUESS_GLOBAL: TokenBucketOptions = { capacity: 300, refillPerSecond: 5 };
/** Session creation: 10 per address, then one a minute. */
export const CREATE_PER_IP: TokenBucketOptions = { capacity: 10, refillPerSecond: 1 / 60 };

/** Reads REDIS_URL and SPAWNPOINT_LIVE_TTL_MS (idle lifetime of sessions in ms; tests shorten it). */
export type LiveEnv = Readonly<Record<string, string | undefined>>;

export function createLiveHub(env: LiveEnv = process.env): LiveHub {
  const ttl = Number(env.SPAWNPOINT_LIVE_TTL_MS);
  const ttlMs = Number.isFinite(ttl) && ttl > 0 ? ttl : undefined;
  let backend: SessionBackend;
  let guessLimiter: RateLimiter;
  let createLimiter: RateLimiter;
  if (env.REDIS_URL) {
    const redisBackend = new RedisBackend({ url: env.REDIS_URL });
    const prefix = "spawnpoint:live:rl:";
    guessLimiter = new SplitRateLimiter(new RedisRateLimiter(redisBackend.redis, `${prefix}guess:`, GUESS_PER_IP), new RedisRateLimiter(redisBackend.redis, `${prefix}guess:`, GUESS_GLOBAL));
    createLimiter = new RedisRateLimiter(redisBackend.redis, `${prefix}create:`, CREATE_PER_IP);
    backend = redisBackend;
  } else {
    backend = new MemoryBackend();
    guessLimiter = new SplitRateLimiter(new MemoryRateLimiter(GUESS_PER_IP), new MemoryRateLimiter(GUESS_GLOBAL));
    createLimiter = new MemoryRateLimiter(CREATE_PER_IP);
  }
  return new LiveHub({ backend, guessLimiter, createLimiter, ttlMs });
}

const globalForHub = globalThis as typeof globalThis & { __spawnpointLiveHub?: LiveHub };

/** One hub per server process (route handlers may be loaded in several module graphs). */
export function getLiveHub(): LiveHub {
  return (globalForHub.__spawnpointLiveHub ??= createLiveHub());
}

export { clientIp, bearerToken, readJsonBody, json, hubError, bodyError, BodyError } from "./http";

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
