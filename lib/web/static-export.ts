/**
 * What scripts/build-static.ts adds to Next's static export: the CSP meta tag of each page and
 * the service worker's build manifest (public/sw.js). Server-only (node:crypto via csp.ts).
 */
import { createHash } from "node:crypto";
import { contentSecurityPolicy, inlineScriptHashes } from "./csp";

const CHARSET = '<meta charSet="utf-8"/>';

/**
 * The page with its policy as the first thing after `<meta charset>`: a meta policy covers
 * only what follows it, and every script of the page does. `file` names the page in errors.
 */
export function injectCsp(html: string, file: string): string {
  if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error(`${file}: already has a Content-Security-Policy meta tag`);
  const at = html.indexOf(CHARSET);
  if (at < 0) throw new Error(`${file}: no ${CHARSET} to put the Content-Security-Policy after`);
  const policy = contentSecurityPolicy({ pageHashes: inlineScriptHashes(html), meta: true });
  const tag = `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"/>`;
  const end = at + CHARSET.length;
  return html.slice(0, end) + tag + html.slice(end);
}

export interface StaticManifest {
  /** Changes whenever any exported file does: names the service worker's cache. */
  version: string;
  /** URL paths saved for offline use: each page as its folder (`/en/queues/`), every other file by name. */
  precache: string[];
  /**
   * Each saved path's fileHash: a later build saves a file whose hash it keeps from the earlier
   * build's cache instead of downloading it again (public/sw.js).
   */
  hashes: Record<string, string>;
  /** The policy the service worker puts on what it serves other than pages (scripts, workers). */
  csp: string;
}

/** A file's identity across builds: its SHA-256, 16 hex digits. */
export function fileHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

/**
 * Left to be saved as they are fetched: Next's RSC payloads (`*.txt`; offline, a client-side
 * navigation without one falls back to loading the saved page) and the worker itself.
 */
const NOT_PRECACHED = [/\.txt$/, /^sw\.js$/];

/** `files`: the export's files relative to its folder, with forward slashes; `hashOf` gives a file's fileHash. */
export function buildManifest(files: readonly string[], version: string, hashOf: (file: string) => string): StaticManifest {
  const saved = files.filter((f) => !NOT_PRECACHED.some((re) => re.test(f)));
  const urlPath = (f: string) => (f === "index.html" ? "/" : f.endsWith("/index.html") ? `/${f.slice(0, -"index.html".length)}` : `/${f}`);
  const hashes: Record<string, string> = {};
  for (const f of saved) hashes[urlPath(f)] = hashOf(f);
  return { version, precache: saved.map(urlPath), hashes, csp: contentSecurityPolicy({ pageHashes: [] }) };
}
