/**
 * Policies and schedule tokens. The default policy is an unloaded machine: keep running the
 * current process while it can, else the lowest enabled one, and advance the clock only
 * when nothing else can move. A token is the run's seed plus its decisions written as
 * deviations from that default, so a short run or one close to the default has a short token.
 *
 * Token bytes (then base64url): varint version (1), varint seed, then per deviation
 * varint (steps since the previous deviation) and varint decision (0 = advance, k + 1 = proc k).
 */
import type { Choice, Decision, Policy } from "./types";

export const TOKEN_VERSION = 1;

export function defaultDecision(choice: Choice): Decision {
  if (choice.enabled.length === 0) return "advance";
  if (choice.current !== null && choice.enabled.some((o) => o.proc === choice.current)) return choice.current;
  return choice.enabled[0].proc;
}

export const defaultPolicy: Policy = { choose: defaultDecision, keeps: () => Infinity };

export class ScheduleError extends Error {}

/** Replays `decisions` (by step), then follows the default; a decision not on offer is a ScheduleError. */
export function replayPolicy(deviations: ReadonlyMap<number, Decision>): Policy {
  const at = [...deviations.keys()].sort((a, b) => a - b);
  return {
    /** The default keeps the current process: up to the next deviation. */
    keeps(step: number): number {
      const next = at.find((s) => s > step);
      return next === undefined ? Infinity : next - step - 1;
    },
    choose(choice: Choice): Decision {
      const d = deviations.get(choice.step);
      if (d === undefined) return defaultDecision(choice);
      const ok = d === "advance" ? choice.canAdvance : choice.enabled.some((o) => o.proc === d);
      if (!ok) throw new ScheduleError(`this schedule does not fit this program: at step ${choice.step} it chooses ${d === "advance" ? "to advance the clock" : `process ${d}`}, which cannot move there`);
      return d;
    },
  };
}

/** A deterministic random policy (xorshift32 from `seed`): advances the clock with the odds of one more process. */
export function randomPolicy(seed: number): Policy {
  let s = (seed >>> 0) ^ 0x9e3779b9 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
  return {
    choose(choice: Choice): Decision {
      const n = choice.enabled.length + (choice.canAdvance ? 1 : 0);
      const k = Math.floor(next() * n);
      return k < choice.enabled.length ? choice.enabled[k].proc : "advance";
    },
  };
}

/** The deviations from the default policy in a list of steps. */
export function deviations(steps: readonly { readonly choice: Choice; readonly decision: Decision }[]): Map<number, Decision> {
  const out = new Map<number, Decision>();
  for (const s of steps) if (s.decision !== defaultDecision(s.choice)) out.set(s.choice.step, s.decision);
  return out;
}

function pushVarint(out: number[], n: number): void {
  let v = Math.floor(n);
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function toBase64url(bytes: readonly number[]): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) s += B64[(n >> (18 - 6 * k)) & 63];
  }
  return s;
}

function fromBase64url(text: string): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new ScheduleError(`not a schedule token: unexpected ${JSON.stringify(ch)}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return out;
}

export function encodeToken(seed: number, devs: ReadonlyMap<number, Decision>): string {
  const out: number[] = [];
  pushVarint(out, TOKEN_VERSION);
  pushVarint(out, seed >>> 0);
  let last = 0;
  for (const step of [...devs.keys()].sort((a, b) => a - b)) {
    const d = devs.get(step) as Decision;
    pushVarint(out, step - last);
    pushVarint(out, d === "advance" ? 0 : d + 1);
    last = step;
  }
  return toBase64url(out);
}

export interface DecodedToken {
  readonly seed: number;
  readonly deviations: ReadonlyMap<number, Decision>;
}

export function decodeToken(token: string): DecodedToken {
  const bytes = fromBase64url(token.trim());
  let at = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (at >= bytes.length) throw new ScheduleError("not a schedule token: it ends in the middle of a number");
      const b = bytes[at++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 49) throw new ScheduleError("not a schedule token: a number is too long");
    }
  };
  const version = varint();
  if (version !== TOKEN_VERSION) throw new ScheduleError(`schedule token version ${version} is not supported (this site writes version ${TOKEN_VERSION})`);
  const seed = varint();
  const devs = new Map<number, Decision>();
  let step = 0;
  while (at < bytes.length) {
    const delta = varint();
    if (devs.size > 0 && delta === 0) throw new ScheduleError("not a schedule token: two decisions for one step");
    step += delta;
    const d = varint();
    devs.set(step, d === 0 ? "advance" : d - 1);
  }
  return { seed, deviations: devs };
}
