/**
 * Children a process starts together start together. In CPython every spawned child takes
 * about the same time to start (an exec and an interpreter's start-up), so siblings started
 * in a loop begin within milliseconds of each other and the program's output follows what
 * they do (the one that sleeps least prints first). Here a child starts at once when the pool
 * has an idle interpreter and waits for a boot when it has none, so the first children of a
 * burst ran up to a second ahead of the rest, and sleep-ordered output came out in start order.
 *
 * So the children a parent starts one after another make a burst, held until it is complete:
 * - a burst is open while the parent keeps starting children: until it makes any other call
 *   to the kernel (a join, a wait's note, its exit) or GRACE_MS pass after its last start();
 * - then, once every member has its worker, each starts at its start() time plus the largest
 *   wait for a worker among them: the gaps between the start() calls are kept, and none starts
 *   later than the slowest member's own boot made it;
 * - a member whose worker is ready waits at most MAX_HOLD_MS.
 * A lone child followed by a join starts as soon as before. Controlled runs do not use this
 * (their controller orders every start).
 */

export interface StartClock {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

/** How long after a start() a burst stays open when the parent makes no other call (it computes). */
export const GRACE_MS = 300;
/** The longest a child whose worker is ready waits for its burst (a boot on a loaded machine takes seconds). */
export const MAX_HOLD_MS = 10_000;

interface Member {
  readonly pid: number;
  /** When its start was asked for. */
  readonly at: number;
  /** When its worker was ready (null: still waiting for one). */
  readyAt: number | null;
  /** Starts it (set once its worker is ready). */
  go: (() => void) | null;
}

interface Burst {
  readonly members: Member[];
  /** The parent may still start more. */
  open: boolean;
  closeTimer: (() => void) | null;
  holdTimer: (() => void) | null;
  /** Held too long: members start as their workers come. */
  expired: boolean;
}

export class SiblingStarts {
  private readonly bursts = new Map<number, Burst>();
  private readonly parentOf = new Map<number, number>();

  constructor(
    private readonly clock: StartClock,
    private readonly graceMs = GRACE_MS,
    private readonly maxHoldMs = MAX_HOLD_MS,
  ) {}

  /** `pid`, a child of `parent`, asked to start now. */
  spawned(pid: number, parent: number): void {
    let b = this.bursts.get(parent);
    if (!b) this.bursts.set(parent, (b = { members: [], open: true, closeTimer: null, holdTimer: null, expired: false }));
    b.members.push({ pid, at: this.clock.now(), readyAt: null, go: null });
    this.parentOf.set(pid, parent);
    b.open = true;
    b.closeTimer?.();
    b.closeTimer = this.clock.setTimer(this.graceMs, () => {
      b.closeTimer = null;
      this.parentMoved(parent);
    });
  }

  /** The parent made a call other than a start: it started all it meant to for now. */
  parentMoved(parent: number): void {
    const b = this.bursts.get(parent);
    if (!b || !b.open) return;
    b.open = false;
    b.closeTimer?.();
    b.closeTimer = null;
    this.settle(parent, b);
  }

  /** `pid`'s worker is ready: `go` starts it, now or once its burst is complete. */
  ready(pid: number, go: () => void): void {
    const parent = this.parentOf.get(pid);
    const b = parent === undefined ? undefined : this.bursts.get(parent);
    const m = b?.members.find((x) => x.pid === pid);
    if (parent === undefined || !b || !m) {
      go();
      return;
    }
    m.readyAt = this.clock.now();
    m.go = go;
    b.holdTimer ??= this.clock.setTimer(this.maxHoldMs, () => {
      b.holdTimer = null;
      b.expired = true;
      this.settle(parent, b);
    });
    this.settle(parent, b);
  }

  /** `pid` will not start (it ended first, or its start failed): its burst no longer waits for it; if held, it goes now (its start sees it ended). */
  dropped(pid: number): void {
    const parent = this.parentOf.get(pid);
    this.parentOf.delete(pid);
    const b = parent === undefined ? undefined : this.bursts.get(parent);
    if (parent === undefined || !b) return;
    const i = b.members.findIndex((x) => x.pid === pid);
    if (i < 0) return;
    const [m] = b.members.splice(i, 1);
    m.go?.();
    this.settle(parent, b);
  }

  private settle(parent: number, b: Burst): void {
    if (b.expired) {
      for (const m of b.members.filter((x) => x.go !== null)) this.start(b, m);
    } else {
      if (b.open || b.members.some((m) => m.readyAt === null)) return;
      let lag = 0;
      for (const m of b.members) lag = Math.max(lag, (m.readyAt ?? m.at) - m.at);
      const now = this.clock.now();
      for (const m of [...b.members]) {
        const delay = m.at + lag - now;
        if (delay <= 0) this.start(b, m);
        else {
          this.forget(b, m);
          const go = m.go;
          this.clock.setTimer(delay, () => go?.());
        }
      }
    }
    if (b.members.length === 0 && !b.open) {
      b.holdTimer?.();
      b.closeTimer?.();
      if (this.bursts.get(parent) === b) this.bursts.delete(parent);
    }
  }

  private start(b: Burst, m: Member): void {
    const go = m.go;
    this.forget(b, m);
    go?.();
  }

  private forget(b: Burst, m: Member): void {
    const i = b.members.indexOf(m);
    if (i >= 0) b.members.splice(i, 1);
    this.parentOf.delete(m.pid);
  }
}
