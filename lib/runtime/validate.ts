/**
 * The host's check of every message a worker posts (`WorkerToHost`, protocol.ts). A worker
 * runs untrusted Python that may reach its own post function, so nothing it sends is used
 * before it passes here: shape, types and ranges. A message that fails is a protocol
 * violation; the caller kills that process and nothing else.
 */
import type { JsonObject } from "@/lib/kernel";
import type { BootPhase, WorkerToHost } from "./protocol";

export type Checked = { readonly ok: true; readonly msg: WorkerToHost } | { readonly ok: false; readonly reason: string };

/** Longest syscall name the kernel knows is far shorter; a bound keeps diagnoses short. */
const MAX_NAME = 64;
/** Syscall args are small JSON objects (bulk data travels as `bytes`): bounds on the walk. */
const MAX_DEPTH = 16;
const MAX_NODES = 100_000;
const MAX_MESSAGE = 4096;
/** A boot reports a handful of phases (worker/boot.ts). */
const MAX_PHASES = 32;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True when `v` is JSON data (what the kernel's handlers expect): no Map, Date, BigInt, NaN, cycles. */
function isJson(v: unknown, depth: number, budget: { nodes: number }): boolean {
  if (--budget.nodes < 0 || depth > MAX_DEPTH) return false;
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1, budget));
  if (!isPlainObject(v)) return false;
  return Object.values(v).every((x) => isJson(x, depth + 1, budget));
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return `an object (${Object.prototype.toString.call(v)})`;
  return `a ${typeof v}`;
}

/** A ready's boot phases (undefined: none), or why they are refused. */
function checkPhases(raw: unknown): BootPhase[] | undefined | string {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > MAX_PHASES) return `ready phases is ${describe(raw)}, not a list of at most ${MAX_PHASES}`;
  const phases: BootPhase[] = [];
  for (const p of raw as unknown[]) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "string" || p[0].length > 40 || typeof p[1] !== "number" || !Number.isFinite(p[1])) {
      return `ready phase is ${describe(p)}, not [name, time]`;
    }
    phases.push([p[0], p[1]]);
  }
  return phases;
}

/** Validates one message from a worker. Never throws (a getter on a cloned object cannot run: structured clone copies data only). */
export function checkWorkerMessage(raw: unknown): Checked {
  const bad = (reason: string): Checked => ({ ok: false, reason });
  try {
    if (!isPlainObject(raw)) return bad(`message is ${describe(raw)}, not an object`);
    const t = raw.type;
    switch (t) {
      case "ready": {
        const phases = checkPhases(raw.phases);
        if (typeof phases === "string") return bad(phases);
        if (raw.pyc === undefined) return { ok: true, msg: phases ? { type: t, phases } : { type: t } };
        if (!isPlainObject(raw.pyc)) return bad(`ready pyc is ${describe(raw.pyc)}`);
        const pyc: Record<string, Uint8Array> = {};
        for (const [path, bytes] of Object.entries(raw.pyc)) {
          if (!isBytes(bytes)) return bad(`ready pyc[${JSON.stringify(path.slice(0, 80))}] is ${describe(bytes)}`);
          pyc[path] = bytes;
        }
        return { ok: true, msg: phases ? { type: t, pyc, phases } : { type: t, pyc } };
      }
      case "running":
      case "reply_more":
        return { ok: true, msg: { type: t } };
      case "snapshot":
        return isBytes(raw.bytes) ? { ok: true, msg: { type: t, bytes: raw.bytes } } : bad(`snapshot bytes is ${describe(raw.bytes)}`);
      case "fatal": {
        const m = raw.message;
        return typeof m === "string" ? { ok: true, msg: { type: t, message: m.slice(0, MAX_MESSAGE) } } : bad(`fatal message is ${describe(m)}`);
      }
      case "output": {
        const { fd, data, seq } = raw;
        if (fd !== 1 && fd !== 2) return bad(`output fd must be 1 or 2, got ${String(fd).slice(0, 40)}`);
        if (!isBytes(data)) return bad(`output data is ${describe(data)}, not bytes`);
        if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < -1) return bad(`output seq must be an integer ≥ −1, got ${String(seq).slice(0, 40)}`);
        return { ok: true, msg: { type: t, fd, data, seq } };
      }
      case "syscall": {
        const { name, args, bytes, reply } = raw;
        if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME) return bad(`syscall name is ${describe(name)} or too long`);
        if (!isPlainObject(args) || !isJson(args, 0, { nodes: MAX_NODES })) return bad(`syscall ${name}: args are not a JSON object`);
        // Python's None arrives as undefined when the runtime passes it straight through.
        if (bytes !== null && bytes !== undefined && !isBytes(bytes)) return bad(`syscall ${name}: bytes is ${describe(bytes)}`);
        if (typeof reply !== "boolean") return bad(`syscall ${name}: reply is ${describe(reply)}, not a boolean`);
        return { ok: true, msg: { type: t, name, args: args as JsonObject, bytes: bytes ?? null, reply } };
      }
      case "relay": {
        const { op, args, bytes, oneway } = raw;
        if (typeof op !== "string" || op.length === 0 || op.length > MAX_NAME) return bad(`relay op is ${describe(op)} or too long`);
        if (!isPlainObject(args) || !isJson(args, 0, { nodes: MAX_NODES })) return bad(`relay ${op}: args are not a JSON object`);
        if (bytes !== null && bytes !== undefined && !isBytes(bytes)) return bad(`relay ${op}: bytes is ${describe(bytes)}`);
        if (oneway !== undefined && typeof oneway !== "boolean") return bad(`relay ${op}: oneway is ${describe(oneway)}, not a boolean`);
        return { ok: true, msg: { type: t, op, args: args as JsonObject, bytes: bytes ?? null, ...(oneway ? { oneway: true } : {}) } };
      }
      default:
        return bad(`unknown message type ${typeof t === "string" ? JSON.stringify(t.slice(0, 40)) : describe(t)}`);
    }
  } catch (e) {
    // A Proxy or exotic object cannot cross postMessage, but the check must not throw even then.
    return bad(`unreadable message (${String(e).slice(0, 80)})`);
  }
}
