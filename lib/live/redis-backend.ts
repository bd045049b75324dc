/**
 * Sessions in Redis, events over Redis pub/sub: several server instances can serve one class.
 * The instructor may drive through instance A while a student's stream is held by instance B;
 * B subscribes to the session's channel and reads the current state from the same hash.
 *
 * Layout (prefix default "spawnpoint:live:"):
 *   <prefix>s:<code>  hash  tokenHash, lesson (JSON), slide, seq, createdAt, expiresAt, step:<id>…  (PEXPIREAT = expiry)
 *   <prefix>open      sorted set of live codes, scored by expiry (the open-session cap counts it)
 *   <prefix>c:<code>  channel carrying JSON LiveEvents
 */
import { Redis } from "ioredis";
import { ListenerRegistry, type ApplyResult, type InsertResult, type LiveListener, type SessionBackend, type StoredSession } from "./backend";
import { LessonRefSchema, LIVE_LIMITS, LiveEventSchema, type DriveMessage, type EndReason, type LiveEvent, type LiveState } from "./protocol";

export interface RedisBackendOptions {
  url: string;
  /** Key and channel prefix. Default "spawnpoint:live:". */
  prefix?: string;
  /** How often this instance checks whether sessions it streams have expired. Default 15 s. */
  sweepIntervalMs?: number;
}

// KEYS: session hash, open set. ARGV: tokenHash, lesson, slide, seq, createdAt, expiresAt, now, maxOpen, code.
// Returns 1 inserted, 0 code taken, -1 full.
const INSERT_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[7])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[8]) then return -1 end
redis.call('HSET', KEYS[1], 'tokenHash', ARGV[1], 'lesson', ARGV[2], 'slide', ARGV[3], 'seq', ARGV[4], 'createdAt', ARGV[5], 'expiresAt', ARGV[6])
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[9])
return 1
`;

// KEYS: session hash, open set. ARGV: kind, slide|id, step, expiresAt, maxSchedulers, code. Returns {-1} missing, {-2} too many schedulers, else {seq, hash…}.
const APPLY_SCRIPT = `
local k = KEYS[1]
if redis.call('EXISTS', k) == 0 then return {-1} end
if ARGV[1] == 'slide' then
  redis.call('HSET', k, 'slide', ARGV[2])
else
  local f = 'step:' .. ARGV[2]
  if redis.call('HEXISTS', k, f) == 0 then
    local n = 0
    for _, name in ipairs(redis.call('HKEYS', k)) do
      if string.sub(name, 1, 5) == 'step:' then n = n + 1 end
    end
    if n >= tonumber(ARGV[5]) then return {-2} end
  end
  redis.call('HSET', k, f, ARGV[3])
end
local seq = redis.call('HINCRBY', k, 'seq', 1)
redis.call('HSET', k, 'expiresAt', ARGV[4])
redis.call('PEXPIREAT', k, ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[6])
return {seq, redis.call('HGETALL', k)}
`;

export class RedisBackend implements SessionBackend {
  /** Commands. */
  readonly redis: Redis;
  /** A connection in subscriber mode can issue nothing else, hence a second one. */
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly listeners = new ListenerRegistry();
  private readonly subscribing = new Map<string, Promise<unknown>>();
  private readonly sweepTimer: ReturnType<typeof setInterval>;

  constructor(options: RedisBackendOptions) {
    this.prefix = options.prefix ?? "spawnpoint:live:";
    this.redis = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = new Redis(options.url, { lazyConnect: false });
    this.sub.on("message", (channel: string, message: string) => this.onMessage(channel, message));
    // ioredis reconnects by itself; without a listener an "error" event would crash the process.
    this.redis.on("error", () => {});
    this.sub.on("error", () => {});
    this.sweepTimer = setInterval(() => void this.sweep(), options.sweepIntervalMs ?? 15_000);
    this.sweepTimer.unref?.();
  }

  async insert(s: StoredSession, maxOpen: number, now: number): Promise<InsertResult> {
    const inserted = await this.redis.eval(
      INSERT_SCRIPT,
      2,
      this.key(s.code),
      this.openKey(),
      s.tokenHash,
      JSON.stringify(s.lesson),
      s.state.slide,
      s.seq,
      s.createdAt,
      s.expiresAt,
      now,
      maxOpen,
      s.code,
    );
    if (inserted === 0) return "taken";
    if (inserted === -1) return "full";
    const steps = Object.entries(s.state.steps);
    if (steps.length) await this.redis.hset(this.key(s.code), Object.fromEntries(steps.map(([id, v]) => [`step:${id}`, v])));
    return "inserted";
  }

  async get(code: string): Promise<StoredSession | null> {
    const hash = await this.redis.hgetall(this.key(code));
    return hash.tokenHash ? this.decode(code, hash) : null;
  }

  async apply(code: string, msg: DriveMessage, expiresAt: number): Promise<ApplyResult> {
    const args = msg.type === "slide" ? ["slide", String(msg.slide), ""] : ["scheduler", msg.id, String(msg.step)];
    const reply = (await this.redis.eval(APPLY_SCRIPT, 2, this.key(code), this.openKey(), ...args, expiresAt, LIVE_LIMITS.maxSchedulers, code)) as
      | [number]
      | [number, string[]];
    if (reply[0] === -1) return { ok: false, reason: "not-found" };
    if (reply[0] === -2) return { ok: false, reason: "too-many-schedulers" };
    const flat = reply[1] ?? [];
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]] = flat[i + 1];
    const session = this.decode(code, hash);
    const event: LiveEvent = { type: "state", seq: session.seq, state: session.state };
    await this.redis.publish(this.channel(code), JSON.stringify(event));
    return { ok: true, seq: session.seq, state: session.state };
  }

  async end(code: string, reason: EndReason): Promise<boolean> {
    const [deleted] = await Promise.all([this.redis.del(this.key(code)), this.redis.zrem(this.openKey(), code)]);
    if (deleted === 1) {
      const event: LiveEvent = { type: "ended", reason };
      await this.redis.publish(this.channel(code), JSON.stringify(event));
    }
    return deleted === 1;
  }

  async subscribe(code: string, listener: LiveListener): Promise<() => void> {
    const { first } = this.listeners.add(code, listener);
    if (first) this.subscribing.set(code, this.sub.subscribe(this.channel(code)));
    // Every caller waits until the channel is live, so no event published after this resolves is missed.
    await this.subscribing.get(code);
    return () => {
      const { last } = this.listeners.remove(code, listener);
      if (last) {
        this.subscribing.delete(code);
        void this.sub.unsubscribe(this.channel(code)).catch(() => {});
      }
    };
  }

  listenerCount(code?: string): number {
    return this.listeners.count(code);
  }

  /** Redis expires the hash by itself; followers on this instance learn it here. */
  async sweep(): Promise<void> {
    for (const code of this.listeners.codes()) {
      try {
        if ((await this.redis.exists(this.key(code))) === 0) this.listeners.emit(code, { type: "ended", reason: "expired" });
      } catch {
        // Redis unreachable: say nothing now, check again next round.
      }
    }
  }

  async dispose(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.listeners.clear();
    this.subscribing.clear();
    await Promise.allSettled([close(this.sub), close(this.redis)]);
  }

  private onMessage(channel: string, message: string): void {
    const channelPrefix = `${this.prefix}c:`;
    if (!channel.startsWith(channelPrefix)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const event = LiveEventSchema.safeParse(parsed);
    if (event.success) this.listeners.emit(channel.slice(channelPrefix.length), event.data);
  }

  private decode(code: string, hash: Record<string, string>): StoredSession {
    const steps: LiveState["steps"] = {};
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith("step:")) steps[field.slice(5)] = Number(value);
    }
    return {
      code,
      tokenHash: hash.tokenHash,
      lesson: LessonRefSchema.parse(JSON.parse(hash.lesson)),
      state: { slide: Number(hash.slide), steps },
      seq: Number(hash.seq),
      createdAt: Number(hash.createdAt),
      expiresAt: Number(hash.expiresAt),
    };
  }

  private key(code: string): string {
    return `${this.prefix}s:${code}`;
  }

  private openKey(): string {
    return `${this.prefix}open`;
  }

  private channel(code: string): string {
    return `${this.prefix}c:${code}`;
  }
}

/** QUIT lets pending replies arrive; a connection still connecting has none, so just drop it. Resolves once closed for good. */
async function close(connection: Redis): Promise<void> {
  if (connection.status === "end") return;
  const ended = new Promise<void>((resolve) => connection.once("end", () => resolve()));
  if (connection.status === "ready") connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
  await ended;
}
