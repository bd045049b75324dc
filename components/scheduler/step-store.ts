import { SCHEDULER_STEP_EVENT as CHANGE, readStep, writeSteps } from "./hash";

/**
 * The URL hash is the single source of truth for each scheduler's step, read through
 * useSyncExternalStore. replaceState (not pushState) so stepping does not flood the
 * back button; it fires no hashchange, so we announce changes with our own event.
 */

/**
 * Ids of the schedulers mounted on this page, in mount order (two may share an id). The
 * first one also answers to the short `#step=N` (what a page with one scheduler writes), so
 * opening a replay next to a lesson's scheduler does not steal the lesson's step.
 */
const mounted: string[] = [];

export function register(id: string): () => void {
  mounted.push(id);
  window.dispatchEvent(new Event(CHANGE));
  return () => {
    const i = mounted.indexOf(id);
    if (i >= 0) mounted.splice(i, 1);
    window.dispatchEvent(new Event(CHANGE));
  };
}

const isPrimary = (id: string) => mounted[0] === id;

export function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener("hashchange", onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

/** The step in the URL for scheduler `id`, or null. */
export function currentStep(id: string): number | null {
  return readStep(window.location.hash, isPrimary(id) ? [`sched-${id}`, "step"] : [`sched-${id}`]);
}

/** Puts the step in the URL; step 0 leaves the URL clean. */
export function setStep(id: string, step: number): void {
  const alone = mounted.length <= 1;
  const key = alone ? "step" : `sched-${id}`;
  // Only the primary view owns `step`; the others must leave it alone.
  const drop = alone ? [`sched-${id}`] : isPrimary(id) ? ["step"] : [];
  const hash = writeSteps(window.location.hash, { [key]: step }, drop);
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  // Keep Next's own history state: it uses it to restore the page.
  window.history.replaceState(window.history.state, "", url);
  window.dispatchEvent(new Event(CHANGE));
}
