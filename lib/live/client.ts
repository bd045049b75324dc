/**
 * Browser side of live sessions: the instructor creates/drives/ends a session over fetch; students
 * follow it over EventSource. Isomorphic (no Node built-ins); safe to bundle.
 */
import { LiveEventSchema, type CreatedSession, type DriveMessage, type LessonRef, type LiveState, type JoinedSession } from "./protocol";

export class LiveApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, cache: "no-store" });
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok) throw new LiveApiError(body.message ?? `HTTP ${response.status}`, response.status, body.error ?? "http");
  return body as T;
}

export const liveApi = {
  create(lesson: LessonRef, slide = 0): Promise<CreatedSession> {
    return call("/api/live/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lesson, slide }) });
  },
  lookup(code: string): Promise<JoinedSession> {
    return call(`/api/live/sessions/${encodeURIComponent(code)}`, { method: "GET" });
  },
  drive(code: string, token: string, msg: DriveMessage): Promise<{ seq: number; state: LiveState }> {
    return call(`/api/live/sessions/${encodeURIComponent(code)}/drive`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(msg),
    });
  },
  end(code: string, token: string): Promise<{ ended: true }> {
    return call(`/api/live/sessions/${encodeURIComponent(code)}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  },
};

export type FollowStatus =
  | { kind: "connecting" }
  | { kind: "live" }
  /** The server cannot be reached; retrying by itself. */
  | { kind: "reconnecting"; attempt: number }
  | { kind: "ended"; reason: "ended" | "expired" | "not-found" };

export interface FollowOptions {
  onState: (state: LiveState, seq: number) => void;
  onStatus: (status: FollowStatus) => void;
  /** Silence longer than this means the stream is dead (server pings every 15 s). Default 40 s. */
  watchdogMs?: number;
}

/**
 * Follows a session and keeps following: EventSource resumes dropped streams itself; when it gives
 * up (server restarted, proxy error) this asks the API whether the session still exists and either
 * reports it ended or retries with backoff. Returns dispose().
 */
export function followLiveSession(code: string, options: FollowOptions): () => void {
  let source: EventSource | null = null;
  let lastSeq = -1;
  let attempt = 0;
  // From the first successful lookup: exempts this follower's stream and checks from guess throttling.
  let ticket: string | null = null;
  let disposed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watchdogMs = options.watchdogMs ?? 40_000;

  const close = () => {
    source?.close();
    source = null;
    clearTimeout(watchdog);
  };
  const finish = (reason: "ended" | "expired" | "not-found") => {
    close();
    disposed = true;
    clearTimeout(retryTimer);
    options.onStatus({ kind: "ended", reason });
  };
  const pet = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      close();
      scheduleRetry();
    }, watchdogMs);
  };
  const scheduleRetry = () => {
    if (disposed) return;
    attempt += 1;
    options.onStatus({ kind: "reconnecting", attempt });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void check(), Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5)));
  };
  // Distinguishes "session gone" (404) from "server unreachable" (network error, 5xx).
  const check = async () => {
    try {
      const query = ticket ? `?ticket=${encodeURIComponent(ticket)}` : "";
      const response = await fetch(`/api/live/sessions/${encodeURIComponent(code)}${query}`, { cache: "no-store" });
      if (disposed) return;
      if (response.status === 404) return finish("not-found");
      if (response.ok) {
        const joined = (await response.json()) as Partial<JoinedSession>;
        if (typeof joined.ticket === "string") ticket = joined.ticket;
        return open();
      }
    } catch {
      // unreachable: fall through to retry
    }
    scheduleRetry();
  };
  const open = () => {
    if (disposed) return;
    close();
    const query = new URLSearchParams();
    if (ticket) query.set("ticket", ticket);
    if (lastSeq >= 0) query.set("after", String(lastSeq));
    const search = query.size ? `?${query}` : "";
    const es = new EventSource(`/api/live/sessions/${encodeURIComponent(code)}/events${search}`);
    source = es;
    pet();
    es.onopen = () => {
      attempt = 0;
      options.onStatus({ kind: "live" });
    };
    es.addEventListener("state", (e) => {
      pet();
      const parsed = LiveEventSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (parsed.success && parsed.data.type === "state" && parsed.data.seq > lastSeq) {
        lastSeq = parsed.data.seq;
        options.onState(parsed.data.state, parsed.data.seq);
      }
    });
    es.addEventListener("ping", pet);
    es.addEventListener("ended", (e) => {
      const parsed = LiveEventSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      finish(parsed.success && parsed.data.type === "ended" ? parsed.data.reason : "ended");
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        // EventSource gave up (HTTP error or server gone): find out which.
        close();
        scheduleRetry();
      } else {
        options.onStatus({ kind: "reconnecting", attempt: ++attempt });
      }
    };
  };

  options.onStatus({ kind: "connecting" });
  // Join first (lookup): it answers "no such session" clearly and hands out the ticket.
  void check();
  return () => {
    disposed = true;
    clearTimeout(retryTimer);
    close();
  };
}
