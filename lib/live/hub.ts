/**
 * LiveHub: the one object the route handlers talk to. It owns the rules (who may drive, how join
 * attempts are throttled, when sessions expire); backends only store and fan out.
 */
import type { SessionBackend, StoredSession } from "./backend";
import { generateInstructorToken, generateJoinCode, hashToken, tokenMatches } from "./codes";
import {
  CreateSessionRequestSchema,
  DriveMessageSchema,
  normalizeJoinCode,
  type CreatedSession,
  type LiveEvent,
  type LiveState,
  type PublicSession,
} from "./protocol";
import type { RateLimiter } from "./rate-limit";

export type HubErrorCode = "invalid" | "not-found" | "forbidden" | "rate-limited" | "too-many-schedulers";

export type HubResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: HubErrorCode; message: string; retryAfterMs?: number };

export interface LiveHubOptions {
  backend: SessionBackend;
  /**
   * Throttles failed attempts (unknown codes, wrong tokens), keyed "ip:<address>" and "global".
   * Successful joins cost nothing, so a whole class behind one NAT address can join at once while
   * guessing codes stays slow.
   */
  guessLimiter: RateLimiter;
  /** Throttles session creation per address. */
  createLimiter: RateLimiter;
  /** Idle lifetime of a session; every drive message slides it. Default 3 h. */
  ttlMs?: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
}

export interface Follow {
  session: PublicSession;
  stop: () => void;
}

export const DEFAULT_TTL_MS = 3 * 60 * 60 * 1000;

export class LiveHub {
  readonly backend: SessionBackend;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LiveHubOptions) {
    this.backend = options.backend;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  async create(input: unknown, ip: string): Promise<HubResult<CreatedSession>> {
    const limited = await this.options.createLimiter.take(`ip:${ip}`);
    if (!limited.ok) return rateLimited(limited.retryAfterMs);
    const parsed = CreateSessionRequestSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "invalid", message: parsed.error.issues.map((i) => i.message).join("; ") };
    const token = generateInstructorToken();
    const createdAt = this.now();
    const state: LiveState = { slide: parsed.data.slide ?? 0, steps: {} };
    // 31^7 codes: a collision is rare, but never hand out a code that is in use.
    for (let attempt = 0; attempt < 8; attempt++) {
      const session: StoredSession = {
        code: generateJoinCode(),
        tokenHash: hashToken(token),
        lesson: parsed.data.lesson,
        state,
        seq: 0,
        createdAt,
        expiresAt: createdAt + this.ttlMs,
      };
      if (await this.backend.insert(session)) return { ok: true, value: { ...toPublic(session), token } };
    }
    throw new Error("could not allocate a free join code");
  }

  /** A student's join attempt: returns what the join page needs, or an error that costs a guess. */
  async lookup(rawCode: string, ip: string): Promise<HubResult<PublicSession>> {
    return this.guarded(ip, async () => {
      const code = normalizeJoinCode(rawCode);
      const session = code ? await this.backend.get(code) : null;
      return session ? { ok: true, value: toPublic(session) } : notFound();
    });
  }

  /**
   * Streams a session's events to `listener`, starting with the current state unless the follower
   * already has it (`lastSeq`, from SSE Last-Event-ID). Events with a seq the follower has seen are dropped.
   */
  async follow(rawCode: string, ip: string, lastSeq: number | null, listener: (event: LiveEvent) => void): Promise<HubResult<Follow>> {
    return this.guarded(ip, async () => {
      const code = normalizeJoinCode(rawCode);
      if (!code) return notFound();
      let delivered = lastSeq ?? -1;
      let ready = false;
      const early: LiveEvent[] = [];
      const forward = (event: LiveEvent) => {
        if (event.type === "state") {
          if (event.seq <= delivered) return;
          delivered = event.seq;
        }
        listener(event);
      };
      // Subscribe before reading the state: a change between the two then arrives as an event, never lost.
      const unsubscribe = await this.backend.subscribe(code, (event) => (ready ? forward(event) : early.push(event)));
      const session = await this.backend.get(code);
      if (!session) {
        unsubscribe();
        return notFound();
      }
      forward({ type: "state", seq: session.seq, state: session.state });
      ready = true;
      for (const event of early) forward(event);
      return { ok: true, value: { session: toPublic(session), stop: unsubscribe } };
    });
  }

  async drive(rawCode: string, token: string | null, input: unknown, ip: string): Promise<HubResult<{ seq: number; state: LiveState }>> {
    return this.guarded(ip, async () => {
      const auth = await this.authorise(rawCode, token);
      if (!auth.ok) return auth;
      const msg = DriveMessageSchema.safeParse(input);
      if (!msg.success) return { ok: false, error: "invalid", message: msg.error.issues.map((i) => `${i.path.join(".") || "message"}: ${i.message}`).join("; ") };
      const applied = await this.backend.apply(auth.value.code, msg.data, this.now() + this.ttlMs);
      if (!applied.ok) return applied.reason === "not-found" ? notFound() : { ok: false, error: "too-many-schedulers", message: "too many scheduler views in one session" };
      return { ok: true, value: { seq: applied.seq, state: applied.state } };
    }, (r) => r.ok || r.error === "invalid" || r.error === "too-many-schedulers");
  }

  async end(rawCode: string, token: string | null, ip: string): Promise<HubResult<null>> {
    return this.guarded(ip, async () => {
      const auth = await this.authorise(rawCode, token);
      if (!auth.ok) return auth;
      await this.backend.end(auth.value.code, "ended");
      return { ok: true, value: null };
    });
  }

  async dispose(): Promise<void> {
    this.options.guessLimiter.dispose();
    this.options.createLimiter.dispose();
    await this.backend.dispose();
  }

  private async authorise(rawCode: string, token: string | null): Promise<HubResult<StoredSession>> {
    const code = normalizeJoinCode(rawCode);
    const session = code ? await this.backend.get(code) : null;
    if (!session) return notFound();
    if (!token || !tokenMatches(token, session.tokenHash)) return { ok: false, error: "forbidden", message: "only the instructor who created this session can drive it" };
    return { ok: true, value: session };
  }

  /**
   * Refuses the attempt while the address (or everyone: the backstop when addresses are spoofed)
   * is out of guesses, and charges a guess only when the attempt fails in a way guessing would.
   * Checking first and charging after means a class behind one NAT address can join all at once.
   */
  private async guarded<T>(ip: string, attempt: () => Promise<HubResult<T>>, innocent: (r: HubResult<T>) => boolean = (r) => r.ok): Promise<HubResult<T>> {
    const limiter = this.options.guessLimiter;
    for (const key of [`ip:${ip}`, "global"]) {
      const check = await limiter.peek(key);
      if (!check.ok) return rateLimited(check.retryAfterMs);
    }
    const result = await attempt();
    if (!innocent(result)) await Promise.all([limiter.take(`ip:${ip}`), limiter.take("global")]);
    return result;
  }
}

function toPublic(s: StoredSession): PublicSession {
  return { code: s.code, lesson: s.lesson, seq: s.seq, state: s.state, expiresAt: s.expiresAt };
}

function notFound<T>(): HubResult<T> {
  return { ok: false, error: "not-found", message: "no live session with this code (it may have ended)" };
}

function rateLimited<T>(retryAfterMs: number): HubResult<T> {
  return { ok: false, error: "rate-limited", message: "too many attempts; wait a moment and try again", retryAfterMs };
}
