/**
 * Course progress: which lessons the reader has completed (their exercise passed), kept in
 * localStorage so it survives reloads, and shared between tabs through the `storage`
 * event. The sidebar and the exercise UI read it through `useCompletedLessons()`.
 *
 * Stored as `{"v":1,"done":{"<lesson-slug>":<epoch ms>}}` under STORAGE_KEY. Anything
 * unreadable counts as "nothing completed" rather than breaking the page.
 */
import { useSyncExternalStore } from "react";

export const STORAGE_KEY = "spawnpoint:progress";

export interface ProgressStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

interface Stored {
  v: 1;
  done: Record<string, number>;
}

function parse(raw: string | null): Stored {
  if (!raw) return { v: 1, done: {} };
  try {
    const data = JSON.parse(raw) as unknown;
    if (typeof data === "object" && data !== null && (data as { v?: unknown }).v === 1) {
      const done = (data as { done?: unknown }).done;
      if (typeof done === "object" && done !== null) {
        const clean: Record<string, number> = {};
        for (const [k, v] of Object.entries(done)) if (typeof v === "number") clean[k] = v;
        return { v: 1, done: clean };
      }
    }
  } catch {
    // Corrupt value: start over instead of failing the page.
  }
  return { v: 1, done: {} };
}

/** The store behind the hook; exported (with an injectable storage) for tests. */
export class ProgressStore {
  private listeners = new Set<() => void>();
  private cache: { raw: string | null; set: ReadonlySet<string> } | null = null;

  constructor(private readonly storage: () => ProgressStorage | null) {}

  private read(): string | null {
    try {
      return this.storage()?.getItem(STORAGE_KEY) ?? null;
    } catch {
      return null; // storage disabled (privacy mode)
    }
  }

  /** Completed lesson slugs; the same Set object until something changes (for useSyncExternalStore). */
  completed(): ReadonlySet<string> {
    const raw = this.read();
    if (this.cache && this.cache.raw === raw) return this.cache.set;
    const set = new Set(Object.keys(parse(raw).done));
    this.cache = { raw, set };
    return set;
  }

  isDone(slug: string): boolean {
    return this.completed().has(slug);
  }

  markDone(slug: string, now = Date.now()): void {
    const data = parse(this.read());
    if (data.done[slug] !== undefined) return;
    data.done[slug] = now;
    this.write(data);
  }

  reset(slug?: string): void {
    const data = parse(this.read());
    if (slug === undefined) data.done = {};
    else delete data.done[slug];
    this.write(data);
  }

  private write(data: Stored): void {
    try {
      this.storage()?.setItem(STORAGE_KEY, JSON.stringify(data));
    } catch {
      // Quota or disabled storage: progress just isn't kept.
    }
    this.notify();
  }

  /** Call when the storage changed elsewhere (another tab). */
  notify(): void {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function browserStorage(): ProgressStorage | null {
  return typeof window === "undefined" ? null : window.localStorage;
}

/** The page's progress store. */
export const progress = new ProgressStore(browserStorage);

if (typeof window !== "undefined") {
  window.addEventListener("storage", (e) => {
    if (e.key === STORAGE_KEY || e.key === null) progress.notify();
  });
}

/** Completed lesson slugs; empty during server rendering, then the stored value. */
export function useCompletedLessons(): ReadonlySet<string> {
  return useSyncExternalStore(
    (cb) => progress.subscribe(cb),
    () => progress.completed(),
    () => EMPTY,
  );
}

/** Marks a lesson done (its exercise passed). */
export function markLessonDone(slug: string): void {
  progress.markDone(slug);
}
