import { describe, expect, it } from "vitest";
import { generateInstructorToken, generateJoinCode, hashToken, tokenMatches } from "./codes";
import { JOIN_CODE_ALPHABET, JOIN_CODE_PATTERN, normalizeJoinCode } from "./protocol";

describe("generateJoinCode", () => {
  it("should draw every symbol from the unambiguous alphabet", () => {
    for (let i = 0; i < 500; i++) expect(generateJoinCode()).toMatch(JOIN_CODE_PATTERN);
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it("should spread over the alphabet (no modulo bias, no constant output)", () => {
    const counts = new Map<string, number>();
    const n = 31_000;
    for (let i = 0; i < n / 7; i++) for (const ch of generateJoinCode()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(JOIN_CODE_ALPHABET.length);
    for (const count of counts.values()) expect(count).toBeGreaterThan(700);
  });
});

describe("tokenMatches", () => {
  it("should accept the token whose hash is stored and nothing else", () => {
    const token = generateInstructorToken();
    const stored = hashToken(token);
    expect(stored).not.toContain(token);
    expect(tokenMatches(token, stored)).toBe(true);
    expect(tokenMatches(token.slice(1), stored)).toBe(false);
    expect(tokenMatches(generateInstructorToken(), stored)).toBe(false);
    expect(tokenMatches("", stored)).toBe(false);
  });

  it("should treat a corrupted stored hash as no match rather than throw", () => {
    expect(tokenMatches("abc", "not-hex")).toBe(false);
  });
});

describe("normalizeJoinCode", () => {
  it("should accept what people type and refuse what cannot be a code", () => {
    expect(normalizeJoinCode(" abc-d 234 ".replace(/ /g, ""))).toBe("ABCD234");
    expect(normalizeJoinCode("abc d23 4")).toBe("ABCD234");
    expect(normalizeJoinCode("ABCD23")).toBeNull();
    expect(normalizeJoinCode("ABCD2340")).toBeNull();
    expect(normalizeJoinCode("ABCD0O4")).toBeNull();
  });
});
