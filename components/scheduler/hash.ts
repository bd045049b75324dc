/**
 * Scheduler steps in the URL hash, so an instructor can share a moment: `#step=12` when a
 * page has one scheduler, `#sched-zombie=12` when it has several, `&`-separated from other
 * parts (a heading anchor, other schedulers' steps), which are kept as they are. The
 * scheduler views (step-store.ts) and the presentation (which mirrors steps to other
 * windows and followers) both read and write it here.
 */

/** Step per hash key (`step`, `sched-<id>`). */
export type StepMap = Record<string, number>;

/**
 * Fired on `window` when a view writes a step (it uses replaceState, which fires no
 * hashchange). Listeners read the hash again.
 */
export const SCHEDULER_STEP_EVENT = "spawnpoint:scheduler-step";

const STEP_KEY = /^(step|sched-[A-Za-z0-9_-]{1,58})$/;

/** A key the presentation mirrors (ids outside this alphabet are not shared). */
export function isStepKey(key: string): boolean {
  return STEP_KEY.test(key);
}

function parts(hash: string): string[] {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  return h === "" ? [] : h.split("&");
}

/** `key=N` parts with a whole N ≥ 0, in order. */
function steps(hash: string): [string, number][] {
  const out: [string, number][] = [];
  for (const part of parts(hash)) {
    const [key, value] = part.split("=", 2);
    if (value === undefined) continue;
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0) out.push([key, n]);
  }
  return out;
}

/** The step stored under the first of `keys` present in `hash`, or null. */
export function readStep(hash: string, keys: readonly string[]): number | null {
  const found = steps(hash);
  for (const key of keys) {
    const hit = found.find(([k]) => k === key);
    if (hit) return hit[1];
  }
  return null;
}

/** Every scheduler step in `hash`. */
export function readSteps(hash: string): StepMap {
  return Object.fromEntries(steps(hash).filter(([key]) => isStepKey(key)));
}

/** `hash` with each key in `changes` set (0 or null removes it: step 0 leaves the URL clean) and every key in `drop` removed. */
export function writeSteps(hash: string, changes: Record<string, number | null>, drop: readonly string[] = []): string {
  const kept = parts(hash).filter((p) => {
    const key = p.split("=", 1)[0] ?? "";
    return !(key in changes) && !drop.includes(key);
  });
  for (const [key, step] of Object.entries(changes)) if (step !== null && step > 0) kept.push(`${key}=${step}`);
  return kept.length ? `#${kept.join("&")}` : "";
}

/** Keys whose step differs between two maps (a missing key counts as step 0). */
export function diffSteps(before: StepMap, after: StepMap): StepMap {
  const changed: StepMap = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key] ?? 0;
    const b = after[key] ?? 0;
    if (a !== b) changed[key] = b;
  }
  return changed;
}
