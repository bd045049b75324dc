import { ListenerRegistry, type ApplyResult, type InsertResult, type LiveListener, type SessionBackend, type StoredSession } from "./backend";
import { applyDrive, LIVE_LIMITS, type DriveMessage, type EndReason } from "./protocol";

export interface MemoryBackendOptions {
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** How often expired sessions are ended. Default 15 s. */
  sweepIntervalMs?: number;
}

/** Sessions in this process's memory: what `npm start` on one machine needs. */
export class MemoryBackend implements SessionBackend {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly listeners = new ListenerRegistry();
  private readonly now: () => number;
  private readonly sweepTimer: ReturnType<typeof setInterval>;

  constructor(options: MemoryBackendOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweepTimer = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 15_000);
    this.sweepTimer.unref?.();
  }

  async insert(session: StoredSession, maxOpen: number, now: number): Promise<InsertResult> {
    if (this.live(session.code)) return "taken";
    if (this.sessions.size >= maxOpen) {
      // Expired sessions still in the map (the sweep has not run yet) do not count.
      this.sweep(now);
      if (this.sessions.size >= maxOpen) return "full";
    }
    this.sessions.set(session.code, structuredClone(session));
    return "inserted";
  }

  async get(code: string): Promise<StoredSession | null> {
    const s = this.live(code);
    return s ? structuredClone(s) : null;
  }

  async apply(code: string, msg: DriveMessage, expiresAt: number): Promise<ApplyResult> {
    const s = this.live(code);
    if (!s) return { ok: false, reason: "not-found" };
    if (msg.type === "scheduler" && !(msg.id in s.state.steps) && Object.keys(s.state.steps).length >= LIVE_LIMITS.maxSchedulers) {
      return { ok: false, reason: "too-many-schedulers" };
    }
    s.state = applyDrive(s.state, msg);
    s.seq += 1;
    s.expiresAt = expiresAt;
    const state = structuredClone(s.state);
    this.listeners.emit(code, { type: "state", seq: s.seq, state });
    return { ok: true, seq: s.seq, state };
  }

  async end(code: string, reason: EndReason): Promise<boolean> {
    const existed = this.sessions.delete(code);
    if (existed) this.listeners.emit(code, { type: "ended", reason });
    return existed;
  }

  async subscribe(code: string, listener: LiveListener): Promise<() => void> {
    this.listeners.add(code, listener);
    return () => void this.listeners.remove(code, listener);
  }

  listenerCount(code?: string): number {
    return this.listeners.count(code);
  }

  /** Ends every session whose TTL ran out, telling its followers. */
  sweep(now: number = this.now()): void {
    for (const [code, s] of this.sessions) {
      if (s.expiresAt <= now) {
        this.sessions.delete(code);
        this.listeners.emit(code, { type: "ended", reason: "expired" });
      }
    }
  }

  async dispose(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sessions.clear();
    this.listeners.clear();
  }

  /** A session that has expired is gone even before the sweep notices. */
  private live(code: string): StoredSession | undefined {
    const s = this.sessions.get(code);
    return s && s.expiresAt > this.now() ? s : undefined;
  }
}
