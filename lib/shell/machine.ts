/** Adapts the runtime's Machine to the shell's narrow interface. */
import type { Machine } from "@/lib/runtime/machine";
import type { ShellMachine, ShellSignal } from "./types";

export function machineForShell(machine: Machine): ShellMachine {
  return {
    cwd: machine.cwd,
    fs: machine.fs,
    now: () => machine.kernel.host.now(),
    run: (entry, argv, argv0) => machine.run({ files: {}, entry, argv, argv0 }),
    processes: () => machine.processes(),
    signal: (pid, sig: ShellSignal) => machine.signal(pid, sig),
    onOutput: (listener) => machine.onOutput((c) => listener(c.pid, c.fd, c.data)),
    onEvent: (listener) => machine.onEvent(listener),
    writeStdin: (text) => machine.writeStdin(text),
    closeStdin: () => machine.closeStdin(),
  };
}
