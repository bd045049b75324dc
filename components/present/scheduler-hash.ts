/**
 * Scheduler steps as the scheduler views keep them: in the URL hash, `step=N` (one scheduler on
 * the page) or `sched-<id>=N`, `&`-separated with other parts. This is their public, shareable
 * format; the presentation reads it to mirror steps to other windows and followers, and writes it
 * (then fires `hashchange`, which the views listen to) to apply a step that came from elsewhere.
 */

export type StepMap = Record<string, number>;

const STEP_KEY = /^(step|sched-[A-Za-z0-9_-]{1,58})$/;

export function isStepKey(key: string): boolean {
  return STEP_KEY.test(key);
}

function parts(hash: string): string[] {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  return h === "" ? [] : h.split("&");
}

export function readSteps(hash: string): StepMap {
  const steps: StepMap = {};
  for (const part of parts(hash)) {
    const [key, value] = part.split("=", 2);
    if (value === undefined || !isStepKey(key)) continue;
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0) steps[key] = n;
  }
  return steps;
}

/** `hash` with each key in `steps` set (0 removes it: the views leave the URL clean at step 0). */
export function writeSteps(hash: string, steps: StepMap): string {
  const kept = parts(hash).filter((p) => !(p.split("=", 1)[0] in steps));
  for (const [key, step] of Object.entries(steps)) if (step > 0) kept.push(`${key}=${step}`);
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
