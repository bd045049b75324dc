/**
 * Python source without its comments, line for line: a Chinese lesson may translate the
 * comments of a program but nothing else, and must keep its lines where they are (a
 * traceback's line numbers are part of the expected output). Strings, including
 * triple-quoted, raw, byte and f-strings, are kept as they are, so a `#` inside one stays.
 * Checked against Python's own tokenize on every lesson program (python-comments.test.ts).
 */

/** Each line of `src` with its comment and the whitespace before it removed. */
export function stripPythonComments(src: string): string {
  let out = "";
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === "#") {
      // Drop the comment and the spaces written before it.
      out = out.replace(/[ \t]+$/, "");
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < n) {
        if (src[j] === "\\") {
          // Even in a raw string a backslash keeps the next quote from ending it.
          j += 2;
          continue;
        }
        if (src.startsWith(quote, j)) {
          j += quote.length;
          break;
        }
        if (!triple && src[j] === "\n") break; // an unterminated one-line string: Python's error, not ours
        j++;
      }
      out += src.slice(i, j);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n");
}
