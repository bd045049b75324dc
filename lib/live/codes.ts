/**
 * Secrets for live sessions. Server-only (node:crypto).
 *
 * Join codes are public-ish (projected on a wall) but must not be guessable: 7 symbols from a
 * 31-letter alphabet is ~2.7e10 codes, and failed join attempts are rate-limited, so guessing a
 * live one is impractical. The instructor token is 256 random bits; the store keeps only its hash,
 * so a leaked store (Redis dump) cannot drive a class.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
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

/**
 * A follower's ticket: proof that it joined with the right code once, so its reconnects are never
 * throttled by failed guesses (its own or anyone's). Keyed by the session's token hash, which every
 * instance has and no client ever sees, so tickets need no storage and cannot be forged.
 */
export function followTicket(code: string, tokenHash: string): string {
  return createHmac("sha256", tokenHash).update(`follow:${code}`, "utf8").digest("base64url").slice(0, 22);
}

export function ticketMatches(presented: string, code: string, tokenHash: string): boolean {
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(followTicket(code, tokenHash), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
