/**
 * The shell's command-line grammar: words with '…' and "…" quoting and \ escapes, `$?`,
 * `$HOME` and `$USER` expansion, redirections `>`, `>>` and `2>`, and lists joined by `;`,
 * `&&`, `||` or ended by `&` (background). No pipes, globs or subshells: the commands
 * here do not need them, and a clear error is better than half an implementation.
 */
export interface Redirect {
  readonly fd: 1 | 2;
  readonly path: string;
  readonly append: boolean;
}

export interface SimpleCommand {
  readonly argv: readonly string[];
  readonly redirects: readonly Redirect[];
  readonly background: boolean;
  /** How this command runs after the previous one. */
  readonly after: ";" | "&&" | "||";
  /** The command as typed (for `jobs`). */
  readonly text: string;
}

export class ParseError extends Error {}

type Token = { kind: "word"; value: string } | { kind: "op"; value: string; fd?: 1 | 2 };

export interface ParseEnv {
  readonly status: number;
  readonly vars: Readonly<Record<string, string>>;
}

function tokenize(line: string, env: ParseEnv): { tokens: Token[]; spans: [number, number][] } {
  const tokens: Token[] = [];
  const spans: [number, number][] = [];
  let i = 0;
  const expand = (j: number): { text: string; next: number } => {
    // j points at '$'
    if (line[j + 1] === "?") return { text: String(env.status), next: j + 2 };
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(j + 1));
    if (m) return { text: env.vars[m[0]] ?? "", next: j + 1 + m[0].length };
    return { text: "$", next: j + 1 };
  };
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "#") break;
    const start = i;
    if (c === ";" || c === "&" || c === "|" || c === ">" || c === "<" || (c === "2" && line[i + 1] === ">")) {
      if (line.startsWith("&&", i) || line.startsWith("||", i)) {
        tokens.push({ kind: "op", value: line.slice(i, i + 2) });
        i += 2;
      } else if (c === "2") {
        tokens.push({ kind: "op", value: line.startsWith(">>", i + 1) ? ">>" : ">", fd: 2 });
        i += line.startsWith(">>", i + 1) ? 3 : 2;
      } else if (c === ">") {
        tokens.push({ kind: "op", value: line.startsWith(">>", i) ? ">>" : ">", fd: 1 });
        i += line.startsWith(">>", i) ? 2 : 1;
      } else if (c === "|") {
        throw new ParseError("pipes (|) are not supported in this shell");
      } else if (c === "<") {
        throw new ParseError("input redirection (<) is not supported in this shell");
      } else {
        tokens.push({ kind: "op", value: c });
        i++;
      }
      spans.push([start, i]);
      continue;
    }
    let word = "";
    while (i < line.length && !" \t;&|<>".includes(line[i])) {
      const ch = line[i];
      if (ch === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new ParseError("unexpected EOF while looking for matching `''");
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
            word += line[i + 1];
            i += 2;
          } else if (line[i] === "$") {
            const e = expand(i);
            word += e.text;
            i = e.next;
          } else {
            word += line[i++];
          }
        }
        if (i >= line.length) throw new ParseError('unexpected EOF while looking for matching `"\'');
        i++;
      } else if (ch === "\\") {
        if (i + 1 < line.length) word += line[i + 1];
        i += 2;
      } else if (ch === "$") {
        const e = expand(i);
        word += e.text;
        i = e.next;
      } else if (ch === "~" && word === "" && (i + 1 >= line.length || line[i + 1] === "/" || line[i + 1] === " ")) {
        word += env.vars.HOME ?? "~";
        i++;
      } else {
        word += ch;
        i++;
      }
    }
    tokens.push({ kind: "word", value: word });
    spans.push([start, i]);
  }
  return { tokens, spans };
}

/** Parses one input line into the commands to run, in order. */
export function parseLine(line: string, env: ParseEnv): SimpleCommand[] {
  const { tokens, spans } = tokenize(line, env);
  const out: SimpleCommand[] = [];
  let argv: string[] = [];
  let redirects: Redirect[] = [];
  let after: SimpleCommand["after"] = ";";
  let textStart = -1;
  let textEnd = -1;
  const finish = (background: boolean, op: string): void => {
    if (argv.length === 0) {
      if (redirects.length > 0 || background || op !== "") throw new ParseError(`syntax error near unexpected token \`${op || "newline"}'`);
      return;
    }
    out.push({ argv, redirects, background, after, text: line.slice(textStart, textEnd).trim() });
    argv = [];
    redirects = [];
    textStart = -1;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (textStart < 0) textStart = spans[k][0];
    if (t.kind === "word") {
      argv.push(t.value);
      textEnd = spans[k][1];
      continue;
    }
    if (t.value === ">" || t.value === ">>") {
      const target = tokens[k + 1];
      if (!target || target.kind !== "word") throw new ParseError(`syntax error near unexpected token \`${target?.value ?? "newline"}'`);
      redirects.push({ fd: t.fd ?? 1, path: target.value, append: t.value === ">>" });
      textEnd = spans[k + 1][1];
      k++;
      continue;
    }
    finish(t.value === "&", t.value);
    after = t.value === "&&" || t.value === "||" ? t.value : ";";
  }
  if (after !== ";" && argv.length === 0) throw new ParseError("syntax error: unexpected end of line");
  finish(false, "");
  return out;
}
