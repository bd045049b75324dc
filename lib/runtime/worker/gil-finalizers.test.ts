import { describe, expect, it } from "vitest";
import { GilSafeFinalizers } from "./gil-finalizers";

/** A FinalizationRegistry whose callbacks the test fires, as the garbage collector would. */
class ManualRegistry<T> {
  static last: ManualRegistry<unknown> | null = null;
  constructor(readonly cleanup: (held: T) => void) {
    ManualRegistry.last = this as ManualRegistry<unknown>;
  }
  register(): void {}
  unregister(): boolean {
    return true;
  }
}

/**
 * GilSafeFinalizers installed on a scope whose timers and registry callbacks the test runs:
 * `fire` is what the garbage collector would call, `gil` whether Python holds the GIL.
 */
function setup(gilAtStart = true) {
  const timers: (() => void)[] = [];
  const scope = {
    FinalizationRegistry: ManualRegistry,
    setTimeout: (fn: () => void) => timers.push(fn),
  } as unknown as typeof globalThis;
  const f = new GilSafeFinalizers();
  f.install(scope);
  const state = { gil: gilAtStart };
  f.gilHeld = () => state.gil;
  const done: string[] = [];
  new scope.FinalizationRegistry<string>((held) => done.push(held));
  return { f, timers, done, state, fire: ManualRegistry.last!.cleanup };
}

describe("finalization callbacks wait for the GIL", () => {
  it("runs a callback at once while the GIL is held", () => {
    const { done, fire } = setup();
    fire("a");
    expect(done).toEqual(["a"]);
  });

  it("holds a callback that comes while Python is inside a C call, and runs it, in order, once the GIL is back", () => {
    const { f, timers, done, state, fire } = setup();
    state.gil = false; // inside stat(), parked on a synchronous request
    fire("a");
    fire("b");
    expect(done).toEqual([]);
    expect(f.pending).toBe(2);
    expect(timers).toHaveLength(1); // one timer, however many wait
    timers.shift()!(); // a timer that still finds the GIL released waits again
    expect(done).toEqual([]);
    expect(timers).toHaveLength(1);
    state.gil = true;
    fire("c"); // the next callback with the GIL held runs the waiting ones first
    expect(done).toEqual(["a", "b", "c"]);
    timers.shift()!();
    expect(done).toEqual(["a", "b", "c"]);
    expect(f.pending).toBe(0);
  });

  it("a held callback runs from the event loop when no other comes", () => {
    const { timers, done, state, fire } = setup(false);
    fire("a");
    state.gil = true;
    timers.shift()!();
    expect(done).toEqual(["a"]);
  });
});
