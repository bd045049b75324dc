/**
 * Errno numbers a learner sees are Linux's (CPython on Linux), not Pyodide's libc numbers
 * (Emscripten's ENOENT is 44): tests/programs/errno_values.py and errno_classes.py on the
 * Node host vs python3.
 */
import { describe, expect, it } from "vitest";
import { runCPython, runOurs, sharedMachine } from "./testing/programs";

const machine = sharedMachine({ poolSize: 1 });

describe("Machine (Node host)", () => {
  describe("errno", () => {
    it("should show Linux's errno numbers in str(e), e.errno, the errno module and tracebacks, like python3", async () => {
      const ours = await runOurs(machine(), "errno_values.py");
      expect(ours.stdout).toContain("[Errno 2] No such file or directory: 'missing.txt'\nTrue 2 No such file or directory missing.txt\n");
      expect(ours.stdout.split("\n")[0]).toBe("2 13 17 20 21 39 11");
      expect(ours.stderr.trimEnd().split("\n").at(-1)).toBe("FileNotFoundError: [Errno 2] No such file or directory: 'no/such/dir/file.txt'");
      expect(ours.code).toBe(1);
      const theirs = runCPython("errno_values.py");
      if (theirs) {
        expect(ours.stdout).toBe(theirs.stdout);
        expect(ours.stderr.trimEnd().split("\n").at(-1)).toBe(theirs.stderr.trimEnd().split("\n").at(-1));
        expect(ours.code).toBe(theirs.code);
      }
    });

    it("should print an uncaught OSError that already has Linux's number with that number, like python3", async () => {
      const ours = await runOurs(machine(), "errno_uncaught.py");
      expect(ours.stdout).toBe("[Errno 2] No such file or directory: 'made.txt'\n");
      expect(ours.stderr.trimEnd().split("\n").at(-1)).toBe("ProcessLookupError: [Errno 3] No such process");
      const theirs = runCPython("errno_uncaught.py");
      if (theirs) expect(ours.stderr.trimEnd().split("\n").at(-1)).toBe(theirs.stderr.trimEnd().split("\n").at(-1));
    });

    it("should print an uncaught OSError the program made from a Linux number with that number", async () => {
      const ours = await runOurs(machine(), "errno_uncaught_made.py");
      expect(ours.stderr.trimEnd().split("\n").at(-1)).toBe("OSError: [Errno 9] bad descriptor");
      const theirs = runCPython("errno_uncaught_made.py");
      if (theirs) expect(ours.stderr.trimEnd().split("\n").at(-1)).toBe(theirs.stderr.trimEnd().split("\n").at(-1));
    });

    it("should raise every errno with CPython's OSError subclass, number and text (12 is OSError, not Emscripten's ECHILD)", async () => {
      const ours = await runOurs(machine(), "errno_classes.py");
      expect(ours.stderr).toBe("");
      expect(ours.stdout).toContain("\n12 ENOMEM OSError 12 (12, 'text') [Errno 12] text\n");
      expect(ours.stdout).toContain("\n111 ECONNREFUSED ConnectionRefusedError 111 (111, 'text') [Errno 111] text\n");
      expect(ours.stdout).toContain("OSError 12 heap [Errno 12] Cannot allocate memory: 'heap'\n");
      const theirs = runCPython("errno_classes.py");
      if (theirs) expect(ours.stdout).toBe(theirs.stdout);
    });
  });
});
