/**
 * Server-Sent Events framing for live sessions, plus a small parser for non-browser clients
 * (the benchmark and tests; browsers use EventSource).
 */
import type { LiveEvent } from "./protocol";

/** Tells EventSource how long to wait before reconnecting after a dropped stream. */
export const SSE_RETRY_MS = 2000;

export function sseRetry(ms: number = SSE_RETRY_MS): string {
  return `retry: ${ms}\n\n`;
}

/** State events carry their seq as the SSE id, so a reconnecting EventSource sends it back as Last-Event-ID. */
export function sseEvent(event: LiveEvent): string {
  const id = event.type === "state" ? `id: ${event.seq}\n` : "";
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A named event (not a comment) so the browser client's watchdog can see it: EventSource hides comments. */
export function ssePing(now: number): string {
  return `event: ping\ndata: ${now}\n\n`;
}

export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Incremental parser for `text/event-stream` (enough of the spec for our own server). */
export class SseParser {
  private buffer = "";
  private id: string | null = null;
  private event = "message";
  private data: string[] = [];

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  feed(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith("\r\n", newline) ? 2 : 1));
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length) this.onMessage({ id: this.id, event: this.event, data: this.data.join("\n") });
      this.event = "message";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
  }
}
