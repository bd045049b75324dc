/**
 * Share links: the code of one block travels in the URL fragment, never to a server.
 *
 * Format: `#share=<blockId>~<payload>` where payload is base64url(deflate-raw(JSON)).
 * The fragment is used (not the query) because browsers never send it over the network,
 * so a shared program cannot be logged or cached by the host.
 */

/** What a share link carries: every file of the block and the file that runs (and, from step mode, an interleaving). */
export interface SharedCode {
  blockId: string;
  files: Record<string, string>;
  entry: string;
  schedule?: SharedSchedule;
}

/** A controlled run's schedule token and how many of its steps the reader had taken. */
export interface SharedSchedule {
  token: string;
  steps: number;
}

const PREFIX = "share=";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const blob = new Blob([bytes as BlobPart]);
  const out = await new Response(blob.stream().pipeThrough(stream)).arrayBuffer();
  return new Uint8Array(out);
}

/** Encodes `code` as the fragment (without the leading `#`). */
export async function encodeShare(code: SharedCode): Promise<string> {
  const json = JSON.stringify(code.schedule ? { f: code.files, e: code.entry, s: code.schedule.token, n: code.schedule.steps } : { f: code.files, e: code.entry });
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream("deflate-raw"));
  return `${PREFIX}${encodeURIComponent(code.blockId)}~${toBase64Url(packed)}`;
}

/** Thrown for a fragment that looks like a share link but cannot be read. */
export class ShareDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShareDecodeError";
  }
}

/**
 * Reads a fragment (with or without `#`). Returns null when the fragment is not a share
 * link at all; throws ShareDecodeError when it is one but is damaged.
 */
export async function decodeShare(fragment: string): Promise<SharedCode | null> {
  const hash = fragment.startsWith("#") ? fragment.slice(1) : fragment;
  if (!hash.startsWith(PREFIX)) return null;
  // Other parts of the hash (a scheduler view's `&step=N`) follow after `&`.
  const rest = hash.slice(PREFIX.length).split("&", 1)[0];
  const sep = rest.indexOf("~");
  if (sep < 0) throw new ShareDecodeError("The shared link is incomplete.");
  const blockId = decodeURIComponent(rest.slice(0, sep));
  let parsed: unknown;
  try {
    const bytes = await pipe(fromBase64Url(rest.slice(sep + 1)), new DecompressionStream("deflate-raw"));
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ShareDecodeError("The shared link is damaged: its code could not be decompressed.");
  }
  if (!isPayload(parsed)) throw new ShareDecodeError("The shared link does not contain code.");
  const schedule = typeof parsed.s === "string" && Number.isInteger(parsed.n) && (parsed.n as number) >= 0 ? { token: parsed.s, steps: parsed.n as number } : undefined;
  return schedule ? { blockId, files: parsed.f, entry: parsed.e, schedule } : { blockId, files: parsed.f, entry: parsed.e };
}

function isPayload(v: unknown): v is { f: Record<string, string>; e: string; s?: unknown; n?: unknown } {
  if (typeof v !== "object" || v === null) return false;
  const o = v as { f?: unknown; e?: unknown };
  if (typeof o.e !== "string" || typeof o.f !== "object" || o.f === null) return false;
  return Object.values(o.f).every((x) => typeof x === "string");
}
