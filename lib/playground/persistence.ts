/**
 * Per-block edit persistence in localStorage. A block is keyed by its page path and id so
 * the same id on two lessons never collides. Storage failures (private mode, quota) are
 * swallowed: losing persistence must never break running code.
 */

/** The subset of the Web Storage API we use (injectable for tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = "spawnpoint:code:v1:";

export function storageKey(pagePath: string, blockId: string): string {
  return `${PREFIX}${pagePath}#${blockId}`;
}

export class EditStore {
  constructor(private readonly storage: KeyValueStorage | null) {}

  /** Saved files of a block, or null when the reader has not edited it. */
  load(pagePath: string, blockId: string): Record<string, string> | null {
    if (!this.storage) return null;
    try {
      const raw = this.storage.getItem(storageKey(pagePath, blockId));
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== "object" || parsed === null) return null;
      const entries = Object.entries(parsed as Record<string, unknown>);
      if (!entries.every(([, v]) => typeof v === "string")) return null;
      return Object.fromEntries(entries) as Record<string, string>;
    } catch {
      return null;
    }
  }

  /**
   * Saves `files` unless they equal `original` (then the saved copy is removed, so
   * undoing every edit by hand also clears the "modified" marker).
   */
  save(pagePath: string, blockId: string, files: Record<string, string>, original: Record<string, string>): boolean {
    const modified = isModified(files, original);
    if (!this.storage) return modified;
    try {
      if (modified) this.storage.setItem(storageKey(pagePath, blockId), JSON.stringify(files));
      else this.storage.removeItem(storageKey(pagePath, blockId));
    } catch {
      // Quota or disabled storage: keep the edit in memory only.
    }
    return modified;
  }

  clear(pagePath: string, blockId: string): void {
    try {
      this.storage?.removeItem(storageKey(pagePath, blockId));
    } catch {
      // ignore: see class comment
    }
  }
}

export function isModified(files: Record<string, string>, original: Record<string, string>): boolean {
  const a = Object.keys(files);
  const b = Object.keys(original);
  if (a.length !== b.length) return true;
  return a.some((k) => files[k] !== original[k]);
}

/** The browser's localStorage, or null where it is unavailable (SSR, sandboxed iframes). */
export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window !== "undefined" ? window.localStorage : null;
  } catch {
    return null;
  }
}
