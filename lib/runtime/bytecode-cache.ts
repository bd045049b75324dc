/**
 * The runtime's bytecode across sessions. The first worker a machine boots without bytecode
 * compiles the runtime's Python (~0.5 s of a ~1.2 s boot) and sends its .pyc files back
 * (worker/boot.ts); the host keeps them beside the snapshot, so the next session's first
 * workers, the main program's included, import the runtime from bytecode too. One blob per
 * set of runtime sources: `bytecodeKey` names it, so changed sources never meet old bytecode
 * (the .pyc files are unchecked-hash ones, used without looking at their source).
 */
import type { PythonSources } from "./protocol";

const MAGIC = 0x53505943; // "SPYC"
/** What the blob holds (2: with the stdlib modules' code, worker/boot.ts withStdlibCode): part of the key. */
const FORMAT = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type Bytecode = Readonly<Record<string, Uint8Array>>;

/**
 * What the cache key hashes: what names the Pyodide build (its version on Node, its URL in the
 * browser; a .pyc of another CPython fails its magic-number check and is compiled again) and
 * every runtime source.
 */
export function bytecodeKeyText(pyodide: string, python: PythonSources): string {
  return JSON.stringify([FORMAT, pyodide, Object.entries(python).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** One blob: magic, JSON length, JSON `[[path, length], …]`, then the files' bytes in that order. */
export function encodeBytecode(pyc: Bytecode): Uint8Array {
  const entries = Object.entries(pyc);
  const head = encoder.encode(JSON.stringify(entries.map(([rel, bytes]) => [rel, bytes.length])));
  const out = new Uint8Array(8 + head.length + entries.reduce((n, [, b]) => n + b.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, head.length);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const [, bytes] of entries) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** The bytecode in `blob`, or null unless it is well formed and holds every .py file of `python`. */
export function decodeBytecode(blob: Uint8Array, python: PythonSources): Bytecode | null {
  try {
    if (blob.length < 8) return null;
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    if (view.getUint32(0) !== MAGIC) return null;
    const headLen = view.getUint32(4);
    if (8 + headLen > blob.length) return null;
    const head = JSON.parse(decoder.decode(blob.slice(8, 8 + headLen))) as unknown;
    if (!Array.isArray(head)) return null;
    const out: Record<string, Uint8Array> = {};
    let at = 8 + headLen;
    for (const entry of head) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || !Number.isInteger(entry[1]) || entry[1] < 0) return null;
      const [rel, len] = entry as [string, number];
      if (at + len > blob.length) return null;
      out[rel] = blob.slice(at, at + len);
      at += len;
    }
    if (at !== blob.length) return null;
    const wanted = Object.keys(python).filter((rel) => rel.endsWith(".py"));
    return wanted.every((rel) => out[rel] instanceof Uint8Array) ? out : null;
  } catch {
    return null;
  }
}
