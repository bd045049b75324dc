import { describe, expect, it } from "vitest";
import { GRACE_MS, MAX_HOLD_MS, SiblingStarts } from "./sibling-starts";

/** A clock whose time moves only by `advance`, with its timers. */
function fakeClock() {
  let t = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => t,
    setTimer(ms: number, fn: () => void) {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((x) => x !== timer);
      };
    },
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        t = due.at;
        due.fn();
      }
      t = end;
    },
  };
}

function setup() {
  const clock = fakeClock();
  const starts = new SiblingStarts(clock);
  const started: [number, number][] = [];
  const ready = (pid: number) => starts.ready(pid, () => started.push([pid, clock.now()]));
  return { clock, starts, started, ready };
}

describe("SiblingStarts", () => {
  it("starts a lone child as soon as its parent moves on (a join), and a process no burst knows at once", () => {
    const t = setup();
    t.starts.spawned(3, 2);
    t.ready(3);
    expect(t.started).toEqual([]);
    t.clock.advance(2);
    t.starts.parentMoved(2);
    expect(t.started).toEqual([[3, 2]]);
    t.ready(7);
    expect(t.started).toEqual([
      [3, 2],
      [7, 2],
    ]);
  });

  it("holds the children of a burst that found idle workers until the last one's worker is ready, each then starting after the same wait", () => {
    const t = setup();
    t.starts.spawned(3, 2);
    t.ready(3); // an idle worker
    t.clock.advance(5);
    t.starts.spawned(4, 2);
    t.ready(4); // an idle worker
    t.clock.advance(5);
    t.starts.spawned(5, 2); // waits for a boot
    t.clock.advance(1);
    t.starts.parentMoved(2); // the parent joins
    t.clock.advance(800);
    expect(t.started).toEqual([]);
    t.ready(5); // at 811: 801 ms after its start() call
    t.clock.advance(20);
    expect(t.started).toEqual([
      [3, 811],
      [4, 811],
      [5, 811],
    ]);
  });

  it("keeps the gap of a start() that came later, while an earlier sibling still waited for its worker", () => {
    const t = setup();
    t.starts.spawned(3, 2); // waits for a boot
    t.starts.parentMoved(2); // the parent sleeps 0.5 s
    t.clock.advance(500);
    t.starts.spawned(4, 2);
    t.ready(4); // an idle worker
    t.starts.parentMoved(2);
    t.clock.advance(500);
    t.ready(3); // 1 s after its start()
    expect(t.started).toEqual([[3, 1000]]);
    t.clock.advance(500);
    expect(t.started).toEqual([
      [3, 1000],
      [4, 1500],
    ]);
  });

  it("closes a burst GRACE_MS after the last start() when the parent computes, and not for another parent's child", () => {
    const t = setup();
    t.starts.spawned(3, 2);
    t.starts.spawned(9, 8); // another parent's, waiting for a boot
    t.ready(3);
    t.clock.advance(GRACE_MS - 1);
    expect(t.started).toEqual([]);
    t.clock.advance(1);
    expect(t.started).toEqual([[3, GRACE_MS]]);
  });

  it("stops waiting for a sibling that ended before it started, and holds no child longer than MAX_HOLD_MS", () => {
    const t = setup();
    t.starts.spawned(3, 2);
    t.starts.spawned(4, 2);
    t.starts.parentMoved(2);
    t.ready(3);
    t.starts.dropped(4);
    expect(t.started).toEqual([[3, 0]]);

    t.starts.spawned(5, 2);
    t.starts.spawned(6, 2);
    t.starts.parentMoved(2);
    t.ready(5);
    t.clock.advance(MAX_HOLD_MS - 1);
    expect(t.started).toEqual([[3, 0]]);
    t.clock.advance(1);
    expect(t.started).toEqual([
      [3, 0],
      [5, MAX_HOLD_MS],
    ]);
    t.ready(6); // late: it starts at once
    expect(t.started.at(-1)).toEqual([6, MAX_HOLD_MS]);
  });

  it("starts a held child that was killed at once (its start sees it ended and gives the worker back)", () => {
    const t = setup();
    t.starts.spawned(3, 2);
    t.starts.spawned(4, 2);
    t.ready(3);
    expect(t.started).toEqual([]);
    t.starts.dropped(3);
    expect(t.started).toEqual([[3, 0]]);
  });
});
