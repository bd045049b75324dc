import { describe, expect, it } from "vitest";
import { cpuTime, formatJob, formatPs, formatPstree, jobState, statLetter } from "./format";
import type { PsProcess } from "./format";

const p = (pid: number, ppid: number, state: PsProcess["state"] = "running"): PsProcess => ({ pid, ppid, name: `P${pid}`, state, startTime: 0 });

describe("format", () => {
  describe("statLetter", () => {
    it("should use Linux's letters", () => {
      expect(["running", "blocked", "starting", "zombie"].map((s) => statLetter(s as PsProcess["state"]))).toEqual(["R", "S", "D", "Z"]);
    });
  });

  describe("formatPs", () => {
    it("should print ps -o pid,ppid,stat,time,cmd columns", () => {
      expect(formatPs([{ pid: 12, ppid: 1, stat: "S", cpuMs: 61_500, cmd: "python server.py" }])).toBe(
        "    PID    PPID STAT     TIME CMD\n     12       1 S    00:01:01 python server.py\n",
      );
      expect(cpuTime(3_600_000 + 2000)).toBe("01:00:02");
    });
  });

  describe("formatPstree", () => {
    it("should draw branches like pstree -p", () => {
      const procs = [p(1, 0), p(2, 1), p(3, 2), p(4, 2), p(5, 1)];
      expect(formatPstree(procs, 1, (x) => `${x.pid === 1 ? "init" : "python"}(${x.pid})`)).toBe(
        ["init(1)─┬─python(2)─┬─python(3)", "        │           └─python(4)", "        └─python(5)", ""].join("\n"),
      );
    });

    it("should draw a single child with a straight line", () => {
      expect(formatPstree([p(1, 0), p(2, 1)], 1, (x) => `n(${x.pid})`)).toBe("n(1)───n(2)\n");
    });
  });

  describe("jobState", () => {
    it("should name the end of a job like bash", () => {
      expect([jobState(true, null), jobState(false, 0), jobState(false, 1), jobState(false, -15), jobState(false, -9), jobState(false, -2)]).toEqual([
        "Running",
        "Done",
        "Exit 1",
        "Terminated",
        "Killed",
        "Interrupt",
      ]);
      expect(formatJob(1, "+", "Running", "python a.py &")).toBe("[1]+  Running                 python a.py &");
    });
  });
});
