/**
 * The runtime loader: one Python machine per page, shared by every editor on it.
 *
 * States: idle → downloading (bytes, total) → booting → ready, or unsupported / error.
 * `preload()` is called when the page is idle; `acquire()` by an editor that wants to run.
 * Runs requested before `ready` wait on `machine()` — that is the run queue.
 */
import type { MachinePort } from "@/lib/runtime/port";
import type { Capabilities, MissingCapability } from "./capabilities";

/** What the loader needs of a machine: to stop and free it. */
type Disposable = Pick<MachinePort, "stopAll" | "dispose">;

export type LoaderState =
  | { phase: "idle" }
  | { phase: "unsupported"; missing: MissingCapability[] }
  | { phase: "downloading"; loaded: number; total: number }
  | { phase: "booting"; loaded: number; total: number }
  | { phase: "ready" }
  | { phase: "error"; message: string };

export interface LoaderDeps<M extends Disposable = MachinePort> {
  capabilities: () => Capabilities;
  /** Downloads the runtime's assets, reporting bytes as they arrive. */
  download: (onProgress: (loaded: number, total: number) => void, signal: AbortSignal) => Promise<void>;
  /** Boots the machine (assets are in the HTTP cache by now). */
  boot: () => Promise<M>;
}

export class RuntimeLoader<M extends Disposable = MachinePort> {
  private current: LoaderState = { phase: "idle" };
  private readonly listeners = new Set<(s: LoaderState) => void>();
  private booting: Promise<M> | null = null;
  private instance: M | null = null;
  private abort = new AbortController();
  private users = 0;
  private disposeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: LoaderDeps<M>) {}

  get state(): LoaderState {
    return this.current;
  }

  /** The booted machine, or null while `machine()` would still wait. */
  get ready(): M | null {
    return this.instance;
  }

  subscribe(listener: (s: LoaderState) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  /** Starts download + boot if not started yet. Never rejects (errors go to `state`). */
  preload(): void {
    void this.machine().catch(() => undefined);
  }

  /** The booted machine; starts loading if needed. Rejects if the browser cannot run it. */
  machine(): Promise<M> {
    if (this.instance) return Promise.resolve(this.instance);
    if (this.booting) return this.booting;
    const caps = this.deps.capabilities();
    if (!caps.ok) {
      this.set({ phase: "unsupported", missing: caps.missing });
      return Promise.reject(new Error("unsupported browser"));
    }
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.set({ phase: "downloading", loaded: 0, total: 0 });
    this.booting = (async () => {
      let loaded = 0;
      let total = 0;
      // Boot alongside the download: the runtime's own fetches of the same files wait on
      // the HTTP cache entry being filled, and its code loads meanwhile.
      const booted = this.deps.boot();
      booted.catch(() => undefined);
      try {
        await this.deps.download((l, t) => {
          loaded = l;
          total = t;
          if (!signal.aborted) this.set({ phase: "downloading", loaded, total });
        }, signal);
        if (signal.aborted) throw new Error("aborted");
        this.set({ phase: "booting", loaded, total });
        const m = await booted;
        if (signal.aborted) throw new Error("aborted");
        this.instance = m;
        this.set({ phase: "ready" });
        return m;
      } catch (err) {
        // A failed download or a dispose() meanwhile: free whatever the boot produced.
        void booted.then((m) => m.dispose(), () => undefined);
        this.booting = null;
        if (!signal.aborted) this.set({ phase: "error", message: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    })();
    return this.booting;
  }

  /**
   * An editor holds the machine while mounted. When the last one lets go (navigating to
   * another page), every process stops and the machine is disposed; the short delay lets a
   * same-page re-mount (React strict mode, fast refresh) keep it.
   */
  acquire(): () => void {
    this.users++;
    if (this.disposeTimer) {
      clearTimeout(this.disposeTimer);
      this.disposeTimer = null;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users--;
      if (this.users === 0) this.disposeTimer = setTimeout(() => void this.dispose(), 50);
    };
  }

  /** Stops every process and frees every worker. The loader can boot again afterwards. */
  async dispose(): Promise<void> {
    this.disposeTimer = null;
    this.abort.abort();
    const m = this.instance;
    const pending = this.booting;
    this.instance = null;
    this.booting = null;
    if (this.current.phase !== "unsupported") this.set({ phase: "idle" });
    if (m) {
      m.stopAll();
      m.dispose();
    } else if (pending) {
      await pending.then((x) => x.dispose()).catch(() => undefined);
    }
  }

  private set(s: LoaderState): void {
    this.current = s;
    for (const l of this.listeners) l(s);
  }
}
