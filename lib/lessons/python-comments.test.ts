/**
 * stripPythonComments against Python's own tokenize (python3 in the same test), on every
 * program of every lesson in both languages and on every exercise's files, plus strings
 * that hold a `#`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractRunnableBlocks } from "./blocks";
import { EXERCISES } from "./exercises";
import { stripPythonComments } from "./python-comments";

const contentDir = path.resolve(__dirname, "../../content");

/** Python's view: every COMMENT token removed, trailing blanks trimmed, lines kept. */
const TOKENIZE = String.raw`
import io, json, sys, tokenize
out = []
for src in json.load(sys.stdin):
    lines = src.split("\n")
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            (row, col), (_, end) = tok.start, tok.end
            line = lines[row - 1]
            lines[row - 1] = line[:col] + line[end:]
    out.append("\n".join(l.rstrip(" \t") for l in lines))
print(json.dumps(out))
`;

function programs(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(contentDir).filter((d) => /^\d{2}-/.test(d))) {
    for (const lang of ["en", "zh"]) {
      const file = path.join(contentDir, dir, `${lang}.mdx`);
      if (!existsSync(file)) continue;
      for (const b of extractRunnableBlocks(readFileSync(file, "utf8"), file)) {
        for (const [name, src] of Object.entries(b.files)) if (name.endsWith(".py")) out.push(src);
      }
    }
  }
  for (const e of EXERCISES) {
    for (const files of [e.starter, e.solution, ...(e.wrong ?? []).map((w) => w.files)]) {
      for (const [name, src] of Object.entries(files)) if (name.endsWith(".py")) out.push(src);
    }
  }
  return out;
}

describe("stripPythonComments", () => {
  it("should remove exactly the comments Python's tokenize sees, line for line, in every lesson and exercise program", () => {
    const srcs = [
      ...programs(),
      `s = "a # not a comment"  # a comment\nt = '#'\nu = """\n# inside a string\n"""  # after\nv = r"\\"#" # raw\nw = f"{1}#{2}"\n`,
      `# 只有注释\nprint("你好 # 不是注释")  # 中文注释\n`,
    ];
    expect(srcs.length).toBeGreaterThan(50);
    const theirs = JSON.parse(execFileSync("python3", ["-c", TOKENIZE], { input: JSON.stringify(srcs), encoding: "utf8", maxBuffer: 64 << 20 })) as string[];
    srcs.forEach((src, i) => expect(stripPythonComments(src), src).toBe(theirs[i]));
  });

  it("should keep the line count, so tracebacks keep their line numbers", () => {
    expect(stripPythonComments("# one\n# two\nx = 1  # three\n")).toBe("\n\nx = 1\n");
  });
});
