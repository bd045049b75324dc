/**
 * Secrets for live sessions. Server-only (node:crypto).
 *
 * Join codes are public-ish (projected on a wall) but must not be guessable: 7 symbols from a
 * 31-letter alphabet is ~2.7e10 codes, and failed join attempts are rate-limited, so guessing a
 * live one is impractical. The instructor token is 256 random bits; the store keeps only its hash,
 * so a leaked store (Redis dump) cannot drive a class.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from "./protocol";

export function generateJoinCode(length: number = JOIN_CODE_LENGTH): string {
  let code = "";
  // randomInt is unbiased (rejection sampling), unlike `byte % 31`.
  for (let i = 0; i < length; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

export function generateInstructorToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time check of a presented token against a stored hash (hashing first equalises lengths). */
export function tokenMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
