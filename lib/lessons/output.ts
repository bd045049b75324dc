/**
 * Output comparison for lesson blocks and exercise checks.
 *
 * A lesson's ```output block says what a program prints. Some values legitimately differ
 * from run to run, so an output block may use these placeholders (documented for authors
 * in content/README.md):
 *
 * - `{pid}`, `{n}` or any `{word}`: any integer (optionally negative) or decimal number.
 * - `{pid:a}` (a word, a colon, a label): a number that must be the SAME everywhere the same
 *   label appears in the block, e.g. the child's pid printed by the child and by the parent.
 * - `…` inside a line: any run of characters on that line (possibly empty).
 * - a line that is only `…`: any number of lines (possibly none), e.g. a traceback's middle.
 *
 * Blocks marked `unordered` compare lines as a multiset: every actual line must match a
 * distinct expected line and vice versa. Trailing whitespace and trailing blank lines are
 * ignored in both modes.
 */

export interface OutputMismatch {
  /** 1-based line of the actual output where the comparison failed (0 when not line-specific). */
  line: number;
  expected: string;
  actual: string;
  reason: string;
}

export type CompareResult = { ok: true } | { ok: false; mismatch: OutputMismatch };

export interface CompareOptions {
  /** Line order may vary between runs (the block's `unordered` meta). Default false. */
  unordered?: boolean;
}

type Token =
  | { type: "text"; text: string }
  | { type: "number"; label: string | null }
  | { type: "any" };

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)(?::([a-z0-9_]+))?\}|…/gi;
const NUMBER_SOURCE = "-?\\d+(?:\\.\\d+)?";

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of line.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) tokens.push({ type: "text", text: line.slice(last, at) });
    if (m[0] === "…") tokens.push({ type: "any" });
    else tokens.push({ type: "number", label: m[2] ?? null });
    last = at + m[0].length;
  }
  if (last < line.length) tokens.push({ type: "text", text: line.slice(last) });
  return tokens;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True when the expected line uses a placeholder (so renderers can style it). */
export function hasPlaceholder(line: string): boolean {
  return tokenize(line).some((t) => t.type !== "text");
}

/** Splits a line into literal text and placeholders, for renderers that highlight them. */
export function placeholderParts(line: string): { text: string; placeholder: boolean }[] {
  const parts: { text: string; placeholder: boolean }[] = [];
  let last = 0;
  for (const m of line.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ text: line.slice(last, at), placeholder: false });
    parts.push({ text: m[0], placeholder: true });
    last = at + m[0].length;
  }
  if (last < line.length) parts.push({ text: line.slice(last), placeholder: false });
  return parts;
}

type Bindings = Map<string, string>;

/**
 * Matches one actual line against one expected line. Returns the new label bindings on
 * success (labels bound by earlier lines must keep their value), or null.
 */
function matchLine(expected: string, actual: string, bindings: Bindings): Bindings | null {
  const tokens = tokenize(expected);
  const labels: string[] = [];
  let source = "^";
  for (const t of tokens) {
    if (t.type === "text") source += escapeRegExp(t.text);
    else if (t.type === "any") source += "(.*?)";
    else {
      const bound = t.label === null ? undefined : bindings.get(t.label);
      if (bound !== undefined) source += escapeRegExp(bound);
      else if (t.label !== null && labels.includes(t.label)) {
        source += `\\k<l_${t.label}>`;
      } else if (t.label !== null) {
        labels.push(t.label);
        source += `(?<l_${t.label}>${NUMBER_SOURCE})`;
      } else source += `(?:${NUMBER_SOURCE})`;
    }
  }
  source += "$";
  const m = new RegExp(source, "u").exec(actual);
  if (!m) return null;
  if (labels.length === 0) return bindings;
  const next = new Map(bindings);
  for (const label of labels) next.set(label, m.groups?.[`l_${label}`] ?? "");
  return next;
}

/** Normalizes line endings and trailing whitespace; drops trailing blank lines. */
export function normalizeOutput(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

const isSkipLine = (line: string) => line.trim() === "…";

function compareOrdered(expected: string[], actual: string[]): CompareResult {
  // Backtracking only happens at `…` lines, which are rare and few per block.
  let best: OutputMismatch | null = null;
  const recordFailure = (ei: number, ai: number, reason: string) => {
    if (best === null || ai + 1 > best.line) {
      best = { line: ai + 1, expected: expected[ei] ?? "(end of output)", actual: actual[ai] ?? "(end of output)", reason };
    }
  };
  const go = (ei: number, ai: number, bindings: Bindings): boolean => {
    if (ei === expected.length) {
      if (ai === actual.length) return true;
      recordFailure(ei, ai, "the program printed more lines than expected");
      return false;
    }
    const exp = expected[ei];
    if (isSkipLine(exp)) {
      for (let k = ai; k <= actual.length; k++) if (go(ei + 1, k, bindings)) return true;
      return false;
    }
    if (ai === actual.length) {
      recordFailure(ei, ai, "the output ended before this expected line");
      return false;
    }
    const next = matchLine(exp, actual[ai], bindings);
    if (next === null) {
      recordFailure(ei, ai, "this line differs");
      return false;
    }
    return go(ei + 1, ai + 1, next);
  };
  if (go(0, 0, new Map())) return { ok: true };
  return { ok: false, mismatch: best ?? { line: 0, expected: "", actual: "", reason: "output differs" } };
}

function compareUnordered(expected: string[], actual: string[]): CompareResult {
  const exp = expected.filter((l) => !isSkipLine(l));
  const allowExtra = exp.length !== expected.length;
  // Bipartite matching (augmenting paths): a greedy pass can pair a line with the wrong
  // placeholder pattern and then reject a valid output.
  const matchOfExpected: number[] = new Array<number>(exp.length).fill(-1);
  const edges = actual.map((a) => exp.map((e, j) => (matchLine(e, a, new Map()) ? j : -1)).filter((j) => j >= 0));
  const tryAssign = (ai: number, seen: boolean[]): boolean => {
    for (const j of edges[ai]) {
      if (seen[j]) continue;
      seen[j] = true;
      if (matchOfExpected[j] === -1 || tryAssign(matchOfExpected[j], seen)) {
        matchOfExpected[j] = ai;
        return true;
      }
    }
    return false;
  };
  for (let ai = 0; ai < actual.length; ai++) {
    if (!tryAssign(ai, new Array<boolean>(exp.length).fill(false)) && !allowExtra) {
      return { ok: false, mismatch: { line: ai + 1, expected: "(no expected line matches)", actual: actual[ai], reason: "unexpected line" } };
    }
  }
  const missing = matchOfExpected.indexOf(-1);
  if (missing >= 0) {
    return { ok: false, mismatch: { line: 0, expected: exp[missing], actual: "(missing)", reason: "an expected line was never printed" } };
  }
  return { ok: true };
}

/** Compares a program's actual output with a lesson's expected output block. */
export function compareOutput(expectedText: string, actualText: string, options: CompareOptions = {}): CompareResult {
  const expected = normalizeOutput(expectedText);
  const actual = normalizeOutput(actualText);
  return options.unordered ? compareUnordered(expected, actual) : compareOrdered(expected, actual);
}

/** Extracts the number matched by `{name}` placeholders, in order; null when the line doesn't match. */
export function extractNumbers(expectedLine: string, actualLine: string): number[] | null {
  const tokens = tokenize(expectedLine);
  let source = "^";
  for (const t of tokens) {
    if (t.type === "text") source += escapeRegExp(t.text);
    else if (t.type === "any") source += ".*?";
    else source += `(${NUMBER_SOURCE})`;
  }
  const m = new RegExp(source + "$", "u").exec(actualLine.replace(/\s+$/, ""));
  return m ? m.slice(1).map(Number) : null;
}
