/** Signal numbers (Linux) and what they do to a Python process. */
export const Signal = {
  SIGINT: 2,
  SIGKILL: 9,
  SIGTERM: 15,
} as const;
export type SignalNumber = (typeof Signal)[keyof typeof Signal];

export function isSignal(n: number): n is SignalNumber {
  return n === Signal.SIGINT || n === Signal.SIGKILL || n === Signal.SIGTERM;
}

/**
 * SIGINT becomes KeyboardInterrupt inside Python (the program decides what happens);
 * SIGTERM and SIGKILL end the process at once with exit code −N, running no `finally`
 * (CPython's default handlers do the same).
 */
export function isFatal(signal: SignalNumber): boolean {
  return signal !== Signal.SIGINT;
}
