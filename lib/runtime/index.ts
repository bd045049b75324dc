/**
 * lib/runtime: runs Python programs on the Spawnpoint kernel, one Pyodide worker per process.
 *
 * Usage (same API in Node and the browser; only the factory differs):
 *
 *   import { createBrowserMachine } from "@/lib/runtime";      // Node: createNodeMachine from "@/lib/runtime/node"
 *   const machine = createBrowserMachine();                     // kernel + shared fs + worker pool
 *   await machine.warm();                                       // optional: boot the pool ahead of time
 *   const off = machine.onOutput(({ pid, fd, data }) => term.write(data));   // per-pid stdout (fd 1) / stderr (fd 2)
 *   machine.onEvent((ev) => panel.push(ev));                    // KernelEvent stream (spawn/state/block/exit/reap…)
 *   const { pid, exit } = machine.run({ files: { "main.py": code }, entry: "main.py", argv: [] });
 *   machine.writeStdin("42\n"); machine.closeStdin();           // input(); EOFError after close
 *   machine.interrupt();                                        // Ctrl-C → KeyboardInterrupt
 *   machine.signal(pid, Signal.SIGTERM);                        // kill one process
 *   machine.processes();                                        // process table snapshot
 *   machine.stopAll();                                          // stop button: kills everything, reaps all
 *   const code = await exit;                                    // −N when killed by signal N
 *   machine.dispose();                                          // on unmount: frees every worker
 *
 * Everything outside lib/runtime uses a machine through its MachinePort (`portOf(machine)`,
 * port.ts): the same operations, with output decoded to text per process.
 */
export { Machine, type MachineOptions, type OutputChunk, type RunHandle, type RunOptions } from "./machine";
export type { Platform, WorkerHandle } from "./platform";
export { createBrowserMachine, type BrowserMachineOptions } from "./browser";
export { portOf, type MachinePort, type MachineFs, type TextChunk } from "./port";
export { Signal, parseSignal, signalName, type KernelEvent, type ProcessInfo, type ProcessState, type SignalName, type SignalNumber } from "@/lib/kernel";
