/**
 * Signals: Linux's numbers and names, the one vocabulary of the kernel, the runtime's
 * MachinePort, the shell and the UI. Which of them the kernel delivers, and what they do
 * to a Python process, is decided here too.
 */
export const Signal = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
} as const;
export type SignalName = keyof typeof Signal;
export type SignalNumber = (typeof Signal)[SignalName];

const NAMES = new Map<number, SignalName>(Object.entries(Signal).map(([name, n]) => [n, name as SignalName]));

/** `SIGTERM` for 15; undefined for a number outside the table. */
export function signalName(n: number): SignalName | undefined {
  return NAMES.get(n);
}

/** Parses a signal as `kill` takes it: `TERM`, `SIGTERM`, `term` or `15`. Undefined if unknown. */
export function parseSignal(spec: string): SignalNumber | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return NAMES.has(n) ? (n as SignalNumber) : undefined;
  }
  const name = spec.toUpperCase().replace(/^(SIG)?/, "SIG");
  return name in Signal ? Signal[name as SignalName] : undefined;
}

/** The signals the kernel delivers: Linux's standard ones, above. kill() with any other one (a real-time signal) fails with EINVAL. */
export function isSignal(n: number): n is SignalNumber {
  return NAMES.has(n);
}

/** What a process does with a signal: its default action, nothing, or a Python handler. */
export type Disposition = "default" | "ignore" | "handler";

/** signal(7): Term, Ign, Stop, Cont (Core ends the process as Term does: no core file here, the same exit status −N). */
export type DefaultAction = "terminate" | "ignore" | "stop" | "continue";

export function defaultAction(sig: SignalNumber): DefaultAction {
  switch (sig) {
    case Signal.SIGCHLD:
    case Signal.SIGURG:
    case Signal.SIGWINCH:
      return "ignore";
    case Signal.SIGSTOP:
    case Signal.SIGTSTP:
    case Signal.SIGTTIN:
    case Signal.SIGTTOU:
      return "stop";
    case Signal.SIGCONT:
      return "continue";
    default:
      return "terminate";
  }
}

/** SIGKILL and SIGSTOP can be neither caught nor ignored (sigaction(2): EINVAL). */
export function canCatch(sig: number): boolean {
  return isSignal(sig) && sig !== Signal.SIGKILL && sig !== Signal.SIGSTOP;
}

/** What CPython ignores at its start, in every process (so a write to a closed pipe raises BrokenPipeError, not a death by SIGPIPE). */
export const IGNORED_BY_PYTHON: readonly SignalNumber[] = [Signal.SIGPIPE, Signal.SIGXFSZ];

/** A stop signal (SIGSTOP, or one that stops by default and is not caught). */
export function stopsByDefault(sig: number): boolean {
  return isSignal(sig) && defaultAction(sig) === "stop";
}
