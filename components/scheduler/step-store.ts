import { readStep, writeStep } from "./hash";

/**
 * The URL hash is the single source of truth for each scheduler's step, read through
 * useSyncExternalStore. replaceState (not pushState) so stepping does not flood the
 * back button; it fires no hashchange, so we announce changes with our own event.
 */
const CHANGE = "spawnpoint:scheduler-step";

/** Ids of the schedulers mounted on this page, with a count (two may share an id). */
const mounted = new Map<string, number>();

export function register(id: string): () => void {
  mounted.set(id, (mounted.get(id) ?? 0) + 1);
  return () => {
    const n = (mounted.get(id) ?? 1) - 1;
    if (n <= 0) mounted.delete(id);
    else mounted.set(id, n);
  };
}

/** `step` when this is the page's only scheduler, else `sched-<id>`. */
function keyFor(id: string): string {
  return mounted.size <= 1 && (mounted.get(id) ?? 1) <= 1 ? "step" : `sched-${id}`;
}

export function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener("hashchange", onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

/** The step in the URL for scheduler `id`, or null. `#step=` applies when no `sched-<id>` is given. */
export function currentStep(id: string): number | null {
  return readStep(window.location.hash, [`sched-${id}`, "step"]);
}

/** Puts the step in the URL; step 0 leaves the URL clean. */
export function setStep(id: string, step: number): void {
  const key = keyFor(id);
  const other = key === "step" ? `sched-${id}` : "step";
  const hash = writeStep(window.location.hash, key, step === 0 ? null : step, [other]);
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  // Keep Next's own history state: it uses it to restore the page.
  window.history.replaceState(window.history.state, "", url);
  window.dispatchEvent(new Event(CHANGE));
}
