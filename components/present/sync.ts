import type { StepSnapshot } from "@/lib/playground/step-session";

/**
 * Keeps the windows of one presentation in step (the projected audience window and the
 * presenter window) over a BroadcastChannel named after the lesson. One typed union per channel.
 */

/** A live session the instructor's windows share (the token never leaves this browser). */
export interface SharedLiveSession {
  code: string;
  token: string;
  joinUrl: string;
}

export type PresentSyncMessage =
  /** A window opened and wants the current state; the audience window answers with the others. */
  | { type: "hello" }
  | { type: "slide"; slide: number }
  /** A scheduler view's step, keyed as in the URL hash ("step" or "sched-<id>"). */
  | { type: "scheduler"; key: string; step: number }
  /** Editor contents, for components that opt in through usePresentationSync (id = the example's id). */
  | { type: "editor"; id: string; files: Record<string, string> }
  /** Run output of an example (the whole text so far, so a late window catches up). */
  | { type: "output"; id: string; text: string }
  /** Step mode of an example (its whole state, so a late window catches up; null: step mode closed). */
  | { type: "step"; id: string; state: StepSnapshot | null }
  | { type: "live"; session: SharedLiveSession | null };

export type PresentSyncType = PresentSyncMessage["type"];
export type PresentSyncOf<T extends PresentSyncType> = Extract<PresentSyncMessage, { type: T }>;

interface Envelope {
  from: string;
  message: PresentSyncMessage;
}

export function channelName(lang: string, slug: string): string {
  return `spawnpoint-present:${lang}/${slug}`;
}

/**
 * Constructing one has no side effects; `open()` joins the channel and `dispose()` leaves it
 * (and may be followed by another open(), as React's strict mode does with effects).
 */
export class PresentationSync {
  /** Tells this window's own messages apart. */
  readonly id = Math.random().toString(36).slice(2);
  private channel: BroadcastChannel | null = null;
  private readonly listeners = new Set<(message: PresentSyncMessage) => void>();

  constructor(private readonly name: string) {}

  open(): void {
    if (this.channel || typeof BroadcastChannel === "undefined") return;
    this.channel = new BroadcastChannel(this.name);
    this.channel.addEventListener("message", this.onMessage);
  }

  post(message: PresentSyncMessage): void {
    const envelope: Envelope = { from: this.id, message };
    this.channel?.postMessage(envelope);
  }

  subscribe(listener: (message: PresentSyncMessage) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Listens for one message type only. */
  on<T extends PresentSyncType>(type: T, listener: (message: PresentSyncOf<T>) => void): () => void {
    return this.subscribe((message) => {
      if (message.type === type) listener(message as PresentSyncOf<T>);
    });
  }

  dispose(): void {
    this.channel?.removeEventListener("message", this.onMessage);
    this.channel?.close();
    this.channel = null;
  }

  private readonly onMessage = (event: MessageEvent<Envelope>) => {
    const envelope = event.data;
    if (!envelope || envelope.from === this.id || typeof envelope.message?.type !== "string") return;
    for (const listener of [...this.listeners]) listener(envelope.message);
  };
}
