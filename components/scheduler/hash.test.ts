import { describe, expect, it } from "vitest";
import { diffSteps, readStep, readSteps, writeSteps } from "./hash";

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

describe("step in the URL hash", () => {
  describe("readStep", () => {
    it("should read the first key present", () => {
      expect(readStep("#sched-zombie=12", ["sched-zombie", "step"])).toBe(12);
      expect(readStep("#step=3", ["sched-zombie", "step"])).toBe(3);
      expect(readStep("#intro&step=4", ["step"])).toBe(4);
    });

    it("should ignore junk and other keys", () => {
      expect(readStep("#step=-1", ["step"])).toBeNull();
      expect(readStep("#step=abc", ["step"])).toBeNull();
      expect(readStep("#sched-orphan=2", ["sched-zombie"])).toBeNull();
      expect(readStep("", ["step"])).toBeNull();
    });
  });

  describe("writeSteps with one key", () => {
    it("should keep a heading anchor and other schedulers' steps", () => {
      expect(writeSteps("#intro&sched-orphan=2", { "sched-zombie": 5 })).toBe("#intro&sched-orphan=2&sched-zombie=5");
      expect(writeSteps("#sched-zombie=5", { "sched-zombie": 6 })).toBe("#sched-zombie=6");
    });

    it("should remove the key at step null and drop aliases", () => {
      expect(writeSteps("#sched-zombie=5", { "sched-zombie": null })).toBe("");
      expect(writeSteps("#step=5", { "sched-zombie": 7 }, ["step"])).toBe("#sched-zombie=7");
    });
  });
});
