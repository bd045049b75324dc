import type { LiveEvent } from "@/lib/live";
import { clientIp, followTicketOf, getLiveHub, hubError, sseEvent, ssePing, sseRetry, trackStream } from "@/lib/live/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HEARTBEAT_MS = Number(process.env.SPAWNPOINT_LIVE_HEARTBEAT_MS) || 15_000;

/**
 * Follows a session as Server-Sent Events: `state` events (id = seq), `ping` heartbeats, and a final
 * `ended`. A reconnecting client's Last-Event-ID (or `?after=`) skips the state it already has;
 * `?ticket=` (from the join) exempts it from failed-guess throttling.
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }): Promise<Response> {
  const { code } = await params;
  const after = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  const lastSeq = after !== null && /^\d{1,15}$/.test(after) ? Number(after) : null;

  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  // Filled in once the follow is live; cleanup may run before that (client gone early).
  const held: { heartbeat?: ReturnType<typeof setInterval>; stop?: () => void; untrack?: () => void } = {};

  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(held.heartbeat);
    held.stop?.();
    held.untrack?.();
    request.signal.removeEventListener("abort", cleanup);
  };
  const write = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      cleanup();
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel: cleanup,
  });

  write(sseRetry());
  const onEvent = (event: LiveEvent) => {
    write(sseEvent(event));
    if (event.type === "ended") {
      cleanup();
      try {
        controller.close();
      } catch {
        // already closed by the client
      }
    }
  };
  const result = await getLiveHub().follow(code, clientIp(request), lastSeq, onEvent, followTicketOf(request));
  if (!result.ok) {
    closed = true;
    return hubError(result);
  }
  if (closed || request.signal.aborted) {
    // The client left while we were subscribing.
    result.value.stop();
    closed = true;
    return new Response(null, { status: 204 });
  }
  held.stop = result.value.stop;
  request.signal.addEventListener("abort", cleanup);
  held.untrack = trackStream(() => {
    cleanup();
    try {
      controller.close();
    } catch {
      // already closed
    }
  });
  held.heartbeat = setInterval(() => write(ssePing(Date.now())), HEARTBEAT_MS);

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: keeps Next's gzip (and proxies) from buffering the stream.
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
