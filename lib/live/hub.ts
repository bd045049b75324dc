/**
 * LiveHub: the one object the route handlers talk to. It owns the rules (who may drive, how join
 * attempts are throttled, when sessions expire); backends only store and fan out.
 */
import type { SessionBackend, StoredSession } from "./backend";
import { followTicket, generateInstructorToken, generateJoinCode, hashToken, ticketMatches, tokenMatches } from "./codes";
import {
  CreateSessionRequestSchema,
  DriveMessageSchema,
  normalizeJoinCode,
  type CreatedSession,
  type JoinedSession,
  type LiveEvent,
  type LiveState,
  type PublicSession,
} from "./protocol";
import type { RateLimiter } from "./rate-limit";
import { StreamSlots } from "./stream-slots";

export type HubErrorCode = "invalid" | "not-found" | "forbidden" | "rate-limited" | "too-many-schedulers";

/** Caps that hold however many addresses a client has. */
export interface LiveCaps {
  /** Sessions open at once (all instances together). */
  maxOpenSessions: number;
  /** Event streams one address may hold open on this instance (a class behind one NAT shares one). */
  maxStreamsPerAddress: number;
  /** Event streams one session may have on this instance. */
  maxStreamsPerSession: number;
}

export const DEFAULT_CAPS: LiveCaps = { maxOpenSessions: 1000, maxStreamsPerAddress: 400, maxStreamsPerSession: 1000 };

/** Retry-After when the open-session cap is reached (sessions end or expire, not on a schedule). */
export const FULL_RETRY_MS = 60_000;
/** Retry-After when a stream cap is reached (streams close as students leave). */
export const STREAMS_RETRY_MS = 10_000;


export type HubResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: HubErrorCode; message: string; retryAfterMs?: number };

export interface LiveHubOptions {
  backend: SessionBackend;
  /**
   * Throttles failed attempts (unknown codes, wrong tokens) per address, keyed "ip:<address>".
   * Successful joins cost nothing, so a whole class behind one NAT address can join at once while
   * guessing codes stays slow. There is no global guess budget: one would let anyone lock every
   * class out, and a right code must never be refused for other clients' failures.
   */
  guessLimiter: RateLimiter;
  /** Throttles session creation, keyed "ip:<address>" and "global" (both must have a token). */
  createLimiter: RateLimiter;
  caps?: Partial<LiveCaps>;
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
  private readonly caps: LiveCaps;
  /** Per instance: a stream is this process's socket and memory, whatever backend holds the state. */
  private readonly streams = new StreamSlots();

  constructor(private readonly options: LiveHubOptions) {
    this.backend = options.backend;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
    this.caps = { ...DEFAULT_CAPS, ...options.caps };
  }

  async create(input: unknown, ip: string): Promise<HubResult<CreatedSession>> {
    const parsed = CreateSessionRequestSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "invalid", message: parsed.error.issues.map((i) => i.message).join("; ") };
    const limiter = this.options.createLimiter;
    for (const key of [`ip:${ip}`, "global"]) {
      const check = await limiter.peek(key);
      if (!check.ok) return rateLimited(check.retryAfterMs, "too many sessions created; wait a moment and try again");
    }
    await Promise.all([limiter.take(`ip:${ip}`), limiter.take("global")]);
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
      const inserted = await this.backend.insert(session, this.caps.maxOpenSessions, createdAt);
      if (inserted === "inserted") return { ok: true, value: { ...toPublic(session), token } };
      if (inserted === "full") return rateLimited(FULL_RETRY_MS, `the server has ${this.caps.maxOpenSessions} live sessions open; try again later`);
    }
    throw new Error("could not allocate a free join code");
  }

  /**
   * A student's join attempt: the session and a follow ticket, or an error that costs a guess.
   * With a valid ticket (a follower checking on its session) no guess budget is consulted.
   */
  async lookup(rawCode: string, ip: string, ticket: string | null = null): Promise<HubResult<JoinedSession>> {
    const found = await this.admit(rawCode, ip, ticket);
    if (!found.ok) return found;
    return { ok: true, value: { ...toPublic(found.value), ticket: followTicket(found.value.code, found.value.tokenHash) } };
  }

  /**
   * Streams a session's events to `listener`, starting with the current state unless the follower
   * already has it (`lastSeq`, from SSE Last-Event-ID). Events with a seq the follower has seen are
   * dropped. Each stream holds a slot of its address and of its session until stop().
   */
  async follow(rawCode: string, ip: string, lastSeq: number | null, listener: (event: LiveEvent) => void, ticket: string | null = null): Promise<HubResult<Follow>> {
    const found = await this.admit(rawCode, ip, ticket);
    if (!found.ok) return found;
    const code = found.value.code;
    const release = this.streams.acquire([
      [`ip:${ip}`, this.caps.maxStreamsPerAddress],
      [`session:${code}`, this.caps.maxStreamsPerSession],
    ]);
    if (!release) return rateLimited(STREAMS_RETRY_MS, "too many open streams from this address or for this session");
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
    const stop = () => {
      unsubscribe();
      release();
    };
    const session = await this.backend.get(code);
    if (!session) {
      stop();
      return notFound();
    }
    forward({ type: "state", seq: session.seq, state: session.state });
    ready = true;
    for (const event of early) forward(event);
    return { ok: true, value: { session: toPublic(session), stop } };
  }

  /** Streams open on this instance from one address (for tests). */
  streamCount(ip: string): number {
    return this.streams.count(`ip:${ip}`);
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

  /**
   * Finds the session a student asks for. A ticket for it lets the request straight in. Otherwise the
   * address's own failed guesses may refuse it (even for a right code: a guesser whose budget is
   * spent must not learn which codes are right), and an unknown code costs the address a guess.
   */
  private async admit(rawCode: string, ip: string, ticket: string | null): Promise<HubResult<StoredSession>> {
    const code = normalizeJoinCode(rawCode);
    const session = code ? await this.backend.get(code) : null;
    if (session && ticket && ticketMatches(ticket, session.code, session.tokenHash)) return { ok: true, value: session };
    const check = await this.options.guessLimiter.peek(`ip:${ip}`);
    if (!check.ok) return rateLimited(check.retryAfterMs);
    if (!session) {
      await this.options.guessLimiter.take(`ip:${ip}`);
      return notFound();
    }
    return { ok: true, value: session };
  }

  private async authorise(rawCode: string, token: string | null): Promise<HubResult<StoredSession>> {
    const code = normalizeJoinCode(rawCode);
    const session = code ? await this.backend.get(code) : null;
    if (!session) return notFound();
    if (!token || !tokenMatches(token, session.tokenHash)) return { ok: false, error: "forbidden", message: "only the instructor who created this session can drive it" };
    return { ok: true, value: session };
  }

  /**
   * Refuses the attempt while the address is out of guesses, and charges a guess only when the
   * attempt fails in a way guessing would. Checking first and charging after means a class behind
   * one NAT address can join all at once.
   */
  private async guarded<T>(ip: string, attempt: () => Promise<HubResult<T>>, innocent: (r: HubResult<T>) => boolean = (r) => r.ok): Promise<HubResult<T>> {
    const limiter = this.options.guessLimiter;
    const check = await limiter.peek(`ip:${ip}`);
    if (!check.ok) return rateLimited(check.retryAfterMs);
    const result = await attempt();
    if (!innocent(result)) await limiter.take(`ip:${ip}`);
    return result;
  }
}

function toPublic(s: StoredSession): PublicSession {
  return { code: s.code, lesson: s.lesson, seq: s.seq, state: s.state, expiresAt: s.expiresAt };
}

function notFound<T>(): HubResult<T> {
  return { ok: false, error: "not-found", message: "no live session with this code (it may have ended)" };
}

function rateLimited<T>(retryAfterMs: number, message = "too many attempts; wait a moment and try again"): HubResult<T> {
  return { ok: false, error: "rate-limited", message, retryAfterMs };
}
