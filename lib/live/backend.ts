/**
 * Where sessions live and how their events reach followers. Two implementations:
 * MemoryBackend (one process, the default) and RedisBackend (state in Redis, events over pub/sub,
 * so any instance can serve any follower).
 */
import type { DriveMessage, EndReason, LessonRef, LiveEvent, LiveState } from "./protocol";

export interface StoredSession {
  code: string;
  tokenHash: string;
  lesson: LessonRef;
  state: LiveState;
  seq: number;
  createdAt: number;
  expiresAt: number;
}

export type InsertResult = "inserted" | "taken" | "full";

export type LiveListener = (event: LiveEvent) => void;

export type ApplyResult =
  | { ok: true; seq: number; state: LiveState }
  | { ok: false; reason: "not-found" | "too-many-schedulers" };

export interface SessionBackend {
  /**
   * Stores a new session unless its code is taken ("taken": the caller draws another) or `maxOpen`
   * sessions are live at `now` ("full"). Atomic: concurrent inserts never exceed the cap.
   */
  insert(session: StoredSession, maxOpen: number, now: number): Promise<InsertResult>;
  get(code: string): Promise<StoredSession | null>;
  /** Applies a drive message, slides the expiry to `expiresAt`, bumps seq and publishes the new state. */
  apply(code: string, msg: DriveMessage, expiresAt: number): Promise<ApplyResult>;
  /** Deletes the session and tells its followers why. Returns false if it did not exist. */
  end(code: string, reason: EndReason): Promise<boolean>;
  /** Listens for a session's events (on this instance). Resolves once listening is live. */
  subscribe(code: string, listener: LiveListener): Promise<() => void>;
  /** Number of listeners on this instance (for tests and the benchmark). */
  listenerCount(code?: string): number;
  dispose(): Promise<void>;
}

/** Tiny listener registry shared by both backends. */
export class ListenerRegistry {
  private readonly byCode = new Map<string, Set<LiveListener>>();

  add(code: string, listener: LiveListener): { first: boolean } {
    let set = this.byCode.get(code);
    const first = !set;
    if (!set) this.byCode.set(code, (set = new Set()));
    set.add(listener);
    return { first };
  }

  remove(code: string, listener: LiveListener): { last: boolean } {
    const set = this.byCode.get(code);
    if (!set || !set.delete(listener)) return { last: false };
    if (set.size === 0) {
      this.byCode.delete(code);
      return { last: true };
    }
    return { last: false };
  }

  emit(code: string, event: LiveEvent): void {
    // Copy: a listener may unsubscribe itself (e.g. on "ended").
    for (const listener of [...(this.byCode.get(code) ?? [])]) {
      try {
        listener(event);
      } catch {
        // One broken follower stream must not stop delivery to the others.
      }
    }
  }

  codes(): string[] {
    return [...this.byCode.keys()];
  }

  count(code?: string): number {
    if (code !== undefined) return this.byCode.get(code)?.size ?? 0;
    let n = 0;
    for (const set of this.byCode.values()) n += set.size;
    return n;
  }

  clear(): void {
    this.byCode.clear();
  }
}
