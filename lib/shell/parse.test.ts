import { describe, expect, it } from "vitest";
import { ParseError, parseLine } from "./parse";

const env = { status: 3, vars: { HOME: "/home/user", USER: "user" } };

describe("parseLine", () => {
  it("should split words and honour quotes and escapes", () => {
    expect(parseLine(`python -c 'print("hi there")' a\\ b "c d"`, env)[0].argv).toEqual(["python", "-c", 'print("hi there")', "a b", "c d"]);
  });

  it("should expand $?, $HOME and ~ but not inside single quotes", () => {
    expect(parseLine(`echo $? "$HOME" '$USER' ~`, env)[0].argv).toEqual(["echo", "3", "/home/user", "$USER", "/home/user"]);
  });

  it("should parse a background command and keep its text without the &", () => {
    const [cmd] = parseLine("python server.py 5000 &", env);
    expect(cmd.background).toBe(true);
    expect(cmd.text).toBe("python server.py 5000");
  });

  it("should parse redirections > >> and 2>", () => {
    const [cmd] = parseLine("echo hi > out.txt 2>>err.txt", env);
    expect(cmd.argv).toEqual(["echo", "hi"]);
    expect(cmd.redirects).toEqual([
      { fd: 1, path: "out.txt", append: false },
      { fd: 2, path: "err.txt", append: true },
    ]);
  });

  it("should parse lists joined by ; && || and &", () => {
    const cmds = parseLine("python a.py & python b.py; ls && echo ok || echo no", env);
    expect(cmds.map((c) => [c.argv[0], c.background, c.after])).toEqual([
      ["python", true, ";"],
      ["python", false, ";"],
      ["ls", false, ";"],
      ["echo", false, "&&"],
      ["echo", false, "||"],
    ]);
  });

  it("should ignore comments and blank lines", () => {
    expect(parseLine("   # nothing", env)).toEqual([]);
  });

  it("should reject unterminated quotes, dangling operators and pipes with a clear error", () => {
    expect(() => parseLine("echo 'oops", env)).toThrow(ParseError);
    expect(() => parseLine("echo >", env)).toThrow(/syntax error/);
    expect(() => parseLine("; ls", env)).toThrow(/unexpected token `;'/);
    expect(() => parseLine("ls | wc", env)).toThrow(/pipes/);
  });
});
