/**
 * Maps lib/runtime's browser Machine onto lib/playground's PlaygroundMachine interface:
 * output bytes become text (one streaming UTF-8 decoder per pid and stream, so a
 * character split across two chunks still decodes), signal names become numbers.
 */
import { createBrowserMachine, Signal, type Machine } from "@/lib/runtime";
import { Shell, machineForShell } from "@/lib/shell";
import type { OutputChunk, PlaygroundMachine, RunningProgram, SignalName } from "@/lib/playground";

const SIGNALS: Record<SignalName, (typeof Signal)[keyof typeof Signal]> = {
  SIGINT: Signal.SIGINT,
  SIGTERM: Signal.SIGTERM,
  SIGKILL: Signal.SIGKILL,
};

export function adaptMachine(m: Machine): PlaygroundMachine {
  const decoders = new Map<string, TextDecoder>();
  return {
    async run(request): Promise<RunningProgram> {
      const h = m.run({ files: request.files, entry: request.entry, argv: request.argv });
      return {
        pid: h.pid,
        exited: h.exit,
        writeStdin: (text) => m.writeStdin(text),
        closeStdin: () => m.closeStdin(),
      };
    },
    onOutput(listener) {
      return m.onOutput(({ pid, fd, data }) => {
        const key = `${pid}:${fd}`;
        let d = decoders.get(key);
        if (!d) decoders.set(key, (d = new TextDecoder()));
        const chunk: OutputChunk = { pid, stream: fd === 2 ? "stderr" : "stdout", text: d.decode(data, { stream: true }) };
        if (chunk.text) listener(chunk);
      });
    },
    onEvent: (listener) => m.onEvent(listener),
    signal: (pid, sig) => m.signal(pid, SIGNALS[sig]),
    stopAll: async () => m.stopAll(),
    openShell(files, write, onRun) {
      const enc = new TextEncoder();
      for (const [name, text] of Object.entries(files)) {
        const path = `${m.cwd}/${name}`;
        m.fs.mkdirp(path.slice(0, path.lastIndexOf("/")));
        m.fs.writeFile(path, enc.encode(text));
      }
      const base = machineForShell(m);
      // Report each program the shell starts, so the example's process panel can show it.
      const machine = {
        ...base,
        run: (entry: string, argv: readonly string[]) => {
          const handle = base.run(entry, argv);
          onRun?.(handle.pid);
          return handle;
        },
      };
      const shell = new Shell({ machine, write });
      shell.start();
      return { input: (data) => shell.input(data), dispose: () => shell.dispose() };
    },
    workerCount: () => m.liveWorkers,
    dispose: () => m.dispose(),
  };
}

/**
 * Creates the page's machine and boots its interpreter pool. Ready as soon as ONE
 * interpreter waits (a Run then starts at once); the rest of the pool keeps booting in
 * the background instead of delaying the first Run.
 */
export async function bootBrowserMachine(): Promise<PlaygroundMachine> {
  const m = createBrowserMachine();
  const warm = m.warm();
  let poll: ReturnType<typeof setInterval> | null = null;
  const oneIdle = new Promise<void>((resolve) => {
    poll = setInterval(() => m.idleWorkers > 0 && resolve(), 25);
  });
  try {
    await Promise.race([warm, oneIdle]);
  } catch (err) {
    m.dispose();
    throw err;
  } finally {
    if (poll !== null) clearInterval(poll);
  }
  warm.catch(() => undefined);
  return adaptMachine(m);
}
