/**
 * The step lives in the URL hash so an instructor can share a moment: `#step=12` when a
 * page has one scheduler, `#sched-zombie=12` when it has several. Other hash parts (a
 * heading anchor, other schedulers' steps) are kept as they are.
 */

function parts(hash: string): string[] {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  return h === "" ? [] : h.split("&");
}

/** The step stored under the first of `keys` present in `hash`, or null. */
export function readStep(hash: string, keys: readonly string[]): number | null {
  const entries = parts(hash).map((p) => p.split("=", 2) as [string, string | undefined]);
  for (const key of keys) {
    const hit = entries.find(([k, v]) => k === key && v !== undefined);
    if (!hit) continue;
    const n = Number(hit[1]);
    if (Number.isInteger(n) && n >= 0) return n;
  }
  return null;
}

/** `hash` with `key=step` set (or removed when step is null), and every key in `drop` removed. */
export function writeStep(hash: string, key: string, step: number | null, drop: readonly string[] = []): string {
  const kept = parts(hash).filter((p) => {
    const k = p.split("=", 1)[0];
    return k !== key && !drop.includes(k ?? "");
  });
  if (step !== null) kept.push(`${key}=${step}`);
  return kept.length === 0 ? "" : `#${kept.join("&")}`;
}
