import { describe, expect, it } from "vitest";
import { diffSteps, readSteps, writeSteps } from "./scheduler-hash";

describe("readSteps", () => {
  it("should read the scheduler views' steps and ignore other hash parts", () => {
    expect(readSteps("#own-memory&sched-zombie=3&step=2&x=1&sched-bad=-1&sched-f=1.5")).toEqual({ "sched-zombie": 3, step: 2 });
    expect(readSteps("")).toEqual({});
  });
});

describe("writeSteps", () => {
  it("should set steps, keep other parts, and drop a step that returns to 0", () => {
    expect(writeSteps("#intro&sched-zombie=3", { "sched-zombie": 5, step: 1 })).toBe("#intro&sched-zombie=5&step=1");
    expect(writeSteps("#sched-zombie=3", { "sched-zombie": 0 })).toBe("");
    expect(readSteps(writeSteps("#a", { "sched-orphan": 4 }))).toEqual({ "sched-orphan": 4 });
  });
});

describe("diffSteps", () => {
  it("should report changed keys, a missing key counting as step 0", () => {
    expect(diffSteps({ step: 1, "sched-a": 2 }, { step: 1, "sched-b": 3 })).toEqual({ "sched-a": 0, "sched-b": 3 });
    expect(diffSteps({ step: 0 }, {})).toEqual({});
  });
});
