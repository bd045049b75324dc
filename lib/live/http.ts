/** Request/response plumbing shared by the app/api/live route handlers (web-standard Request/Response). */
import type { HubResult } from "./hub";
import { LIVE_LIMITS } from "./protocol";

const STATUS = { invalid: 400, forbidden: 403, "not-found": 404, "too-many-schedulers": 409, "rate-limited": 429 } as const;

export class BodyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415,
  ) {
    super(message);
  }
}

export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

/** A follower's ticket (see LiveHub.lookup), sent as `?ticket=` because EventSource cannot set headers. */
export function followTicketOf(request: Request): string | null {
  const ticket = new URL(request.url).searchParams.get("ticket");
  return ticket && /^[\w-]{1,64}$/.test(ticket) ? ticket : null;
}

/** Reads a JSON body of at most `limit` bytes, refusing early on Content-Length and again while streaming. */
export async function readJsonBody(request: Request, limit: number = LIVE_LIMITS.maxBodyBytes): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) throw new BodyError("send Content-Type: application/json", 415);
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) throw new BodyError(`body larger than ${limit} bytes`, 413);
  if (!request.body) throw new BodyError("empty body", 400);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyError(`body larger than ${limit} bytes`, 413);
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError("body is not valid JSON", 400);
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** Maps a hub failure to an HTTP response with a clear message (and Retry-After when throttled). */
export function hubError(result: Extract<HubResult<unknown>, { ok: false }>): Response {
  const headers: Record<string, string> = {};
  if (result.retryAfterMs !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
  return json({ error: result.error, message: result.message }, STATUS[result.error], headers);
}

export function bodyError(error: unknown): Response {
  if (error instanceof BodyError) return json({ error: "invalid", message: error.message }, error.status);
  throw error;
}
