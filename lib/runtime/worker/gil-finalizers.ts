/**
 * Pyodide's FinalizationRegistry callback (a PyProxy the JS side dropped) decrements a Python
 * reference, and first checks that the GIL is held: when it is not, Pyodide calls its fatal
 * error, and the interpreter is dead. The GIL is released while Python sits in a C call such as
 * `stat()` or `read()`; in compatibility mode such a call may park on a synchronous
 * XMLHttpRequest (./relay-xhr.ts), and WebKit runs finalization callbacks inside that request's
 * nested run loop. So a Run could die at random with "NoGilError: Attempted to use PyProxy when
 * Python GIL not held", depending on when the garbage collector ran.
 *
 * `GilSafeFinalizers.install` puts a FinalizationRegistry in the global scope, before Pyodide
 * makes its own, whose callbacks wait while the GIL is not held: they run at the next callback
 * that finds it held, or from a timer once it is (the worker's own event loop: Python is not
 * inside a C call then).
 */

type Cleanup = (held: unknown) => void;

export class GilSafeFinalizers {
  /** Whether Python's GIL is held now; true until the interpreter exists (nothing to finalize before). */
  gilHeld: () => boolean = () => true;
  /** Callbacks that came while the GIL was released, in order. */
  private readonly waiting: { cleanup: Cleanup; held: unknown }[] = [];
  private timerSet = false;
  private setTimer: (fn: () => void) => void = () => {};

  /** How many callbacks wait for the GIL. */
  get pending(): number {
    return this.waiting.length;
  }

  install(scope: typeof globalThis): void {
    const Original = scope.FinalizationRegistry;
    if (!Original) return;
    const setT = scope.setTimeout.bind(scope);
    this.setTimer = (fn) => setT(fn, 0);
    const run = (cleanup: Cleanup, held: unknown) => this.run(cleanup, held);
    class GilSafe<T> extends Original<T> {
      constructor(cleanup: (held: T) => void) {
        super((held: T) => run(cleanup as Cleanup, held));
      }
    }
    scope.FinalizationRegistry = GilSafe as unknown as FinalizationRegistryConstructor;
  }

  /** Runs `cleanup(held)` now if the GIL is held (after the ones still waiting), or later. */
  run(cleanup: Cleanup, held: unknown): void {
    if (!this.gilHeld()) {
      this.waiting.push({ cleanup, held });
      this.later();
      return;
    }
    this.flush();
    cleanup(held);
  }

  /** Runs the waiting callbacks while the GIL is held. */
  flush(): void {
    while (this.waiting.length > 0 && this.gilHeld()) {
      const { cleanup, held } = this.waiting.shift()!;
      cleanup(held);
    }
  }

  private later(): void {
    if (this.timerSet) return;
    this.timerSet = true;
    this.setTimer(() => {
      this.timerSet = false;
      this.flush();
      if (this.waiting.length > 0) this.later();
    });
  }
}
