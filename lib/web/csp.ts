/**
 * The Content-Security-Policy every response carries (set by proxy.server.ts; a static export's pages carry it in a meta tag). Server-only (node:crypto).
 *
 * Pages are prerendered, so a per-request nonce cannot reach their inline scripts (Next's RSC
 * payload `self.__next_f.push(…)`, its bootstrap, our theme script). Each is allowed by its SHA-256
 * instead: ours from inline-scripts.ts, Next's read from the page's prerendered HTML
 * (page-hashes.ts). A nonce is added as well, for what Next renders per request (dynamic dev pages,
 * `next dev`): Next reads it from the request's CSP header and puts it on its scripts.
 */
import { createHash, randomBytes } from "node:crypto";
import { SITE_INLINE_SCRIPTS } from "./inline-scripts";

export function sha256Source(script: string): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

const SITE_HASHES = SITE_INLINE_SCRIPTS.map(sha256Source);

export interface PolicyInput {
  /** Per request (the server's proxy); a static export has none. */
  nonce?: string;
  /** `'sha256-…'` sources of the page's own inline scripts. */
  pageHashes: readonly string[];
  /** `next dev`: React's dev build needs eval for its debugging aids. */
  dev?: boolean;
  /**
   * For a `<meta http-equiv>` tag (the static export's pages): browsers ignore frame-ancestors
   * there, and say so in the console, so it is left out.
   */
  meta?: boolean;
}

/**
 * One policy for pages, workers and files alike (a worker's policy is the one its script file is
 * served with). Why each source is there:
 * - script-src 'wasm-unsafe-eval': Pyodide compiles WebAssembly (CPython and the memory snapshot);
 *   plain 'unsafe-eval' is not needed and not given.
 * - worker-src 'self': the process workers and Monaco's editor worker are same-origin module files.
 * - style-src 'unsafe-inline': shiki's token colours, Monaco and xterm set inline styles; styles
 *   cannot run code, scripts stay strict.
 * - img-src data: the join QR code and Monaco's inline icons.
 * - connect-src 'self': Pyodide's files, the live API, and nothing a program in a worker could
 *   send anywhere else.
 * - frame-ancestors 'none': no site may frame us (presentations open in their own window).
 */
export function contentSecurityPolicy({ nonce, pageHashes, dev = false, meta = false }: PolicyInput): string {
  const scripts = ["'self'", "'wasm-unsafe-eval'", ...(nonce ? [`'nonce-${nonce}'`] : []), ...new Set([...SITE_HASHES, ...pageHashes])];
  if (dev) scripts.push("'unsafe-eval'");
  return [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    ...(meta ? [] : ["frame-ancestors 'none'"]),
  ].join("; ");
}

/** The inline scripts of an HTML document (`<script>` without `src`), as CSP hash sources. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1]) || match[2] === "") continue;
    hashes.add(sha256Source(match[2]));
  }
  return [...hashes];
}
