import { describe, expect, it } from "vitest";
import { idealSpeedup, parseSpeedup } from "./speedup";

describe("parseSpeedup", () => {
  it("reads the rows and the core count of lesson 18's program", () => {
    const out = "cores: 2\n1 process(es): 2.40 s, speedup 1.0x  ##########\n2 process(es): 1.30 s, speedup 1.8x  ##################\n4 process(es): 1.25 s, speedup 1.9x  ###################\nprimes below 150000 = 13848\n";
    expect(parseSpeedup(out)).toEqual({
      cores: 2,
      rows: [
        { processes: 1, seconds: 2.4, speedup: 1 },
        { processes: 2, seconds: 1.3, speedup: 1.8 },
        { processes: 4, seconds: 1.25, speedup: 1.9 },
      ],
    });
  });

  it("draws only complete lines, and nothing from other output", () => {
    expect(parseSpeedup("cores: 4\n1 process(es): 2.40 s, speedup 1.0x\n2 process(es): 1.3").rows).toHaveLength(1);
    expect(parseSpeedup("Traceback (most recent call last):\n")).toEqual({ cores: null, rows: [] });
  });

  it("caps the ideal speedup at the core count", () => {
    expect([1, 2, 4].map((n) => idealSpeedup(n, 2))).toEqual([1, 2, 2]);
    expect(idealSpeedup(4, null)).toBe(4);
  });
});
