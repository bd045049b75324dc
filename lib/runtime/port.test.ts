/**
 * MachinePort on a real machine (Node host): text output decoded once per process and
 * stream, the one signal vocabulary, files and stdin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelError } from "@/lib/kernel";
import { createNodeMachine } from "./node";
import type { Machine } from "./machine";
import { Signal, parseSignal, portOf, signalName, type MachinePort, type SignalNumber, type TextChunk } from "./port";

describe("MachinePort", () => {
  let machine: Machine;
  let port: MachinePort;

  beforeAll(async () => {
    machine = createNodeMachine({ poolSize: 1 });
    await machine.warm();
    port = portOf(machine);
  }, 120_000);

  afterAll(() => port?.dispose());

  function collect(): { chunks: TextChunk[]; off: () => void } {
    const chunks: TextChunk[] = [];
    return { chunks, off: port.onOutput((c) => chunks.push(c)) };
  }

  describe("portOf", () => {
    it("should give one port per machine", () => {
      expect(portOf(machine)).toBe(port);
    });
  });

  describe("onOutput", () => {
    it("should decode a character split across two writes, per stream, for every listener", async () => {
      const a = collect();
      const b = collect();
      const code = [
        "import sys",
        "sys.stdout.buffer.write(b'caf\\xc3'); sys.stdout.flush()",
        "sys.stderr.buffer.write(b'\\xe2\\x82'); sys.stderr.flush()",
        "sys.stdout.buffer.write(b'\\xa9\\n'); sys.stdout.flush()",
        "sys.stderr.buffer.write(b'\\xac\\n'); sys.stderr.flush()",
      ].join("\n");
      const { pid, exit } = port.run({ files: { "split.py": code }, entry: "split.py" });
      expect(await exit).toBe(0);
      a.off();
      b.off();
      for (const { chunks } of [a, b]) {
        const of = (fd: 1 | 2) => chunks.filter((c) => c.pid === pid && c.fd === fd).map((c) => c.text).join("");
        expect(of(1)).toBe("café\n");
        expect(of(2)).toBe("€\n");
        expect(chunks.some((c) => c.text.includes("\ufffd"))).toBe(false);
      }
    }, 60_000);
  });

  describe("writeFiles and writeStdin", () => {
    it("should run a program that reads a written file and its input", async () => {
      port.writeFiles({ "data/name.txt": "Ada" });
      expect(port.fs.exists(`${port.cwd}/data/name.txt`)).toBe("file");
      const out = collect();
      const { pid, exit } = port.run({ files: { "greet.py": "name = open('data/name.txt').read()\nprint(name, input())\n" }, entry: "greet.py" });
      port.writeStdin("Lovelace\n");
      expect(await exit).toBe(0);
      out.off();
      expect(out.chunks.filter((c) => c.pid === pid).map((c) => c.text).join("")).toBe("Ada Lovelace\n");
    }, 60_000);
  });

  describe("signal", () => {
    it("should end a process with −N for SIGTERM", async () => {
      const { pid, exit } = port.run({ files: { "sleep.py": "import time\ntime.sleep(60)\n" }, entry: "sleep.py" });
      port.signal(pid, Signal.SIGTERM);
      expect(await exit).toBe(-15);
    }, 60_000);

    it("should refuse a number outside the signal table with EINVAL, like kill(2)", async () => {
      const { pid, exit } = port.run({ files: { "sleep2.py": "import time\ntime.sleep(60)\n" }, entry: "sleep2.py" });
      let error: unknown = null;
      try {
        port.signal(pid, 34 as SignalNumber); // a real-time signal: not in the table
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KernelError);
      expect((error as KernelError).errno).toBe(22);
      port.signal(pid, Signal.SIGKILL);
      expect(await exit).toBe(-9);
    }, 60_000);
  });
});

describe("Signal", () => {
  it("should use Linux's numbers", () => {
    expect(Signal).toMatchObject({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20 });
  });

  it("should parse what kill takes and name numbers back", () => {
    expect(["TERM", "SIGTERM", "term", "15"].map(parseSignal)).toEqual([15, 15, 15, 15]);
    expect(parseSignal("NOPE")).toBeUndefined();
    expect(parseSignal("34")).toBeUndefined();
    expect(parseSignal("3")).toBe(3);
    expect(signalName(11)).toBe("SIGSEGV");
    expect(signalName(19)).toBe("SIGSTOP");
  });
});
