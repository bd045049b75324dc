import { describe, expect, it } from "vitest";
import { extractRunnableBlocks, parseFenceMeta } from "./blocks";

const f = "```";

describe("parseFenceMeta", () => {
  it("should read the language, flags and key=value attributes", () => {
    const m = parseFenceMeta('python run id=x title="Hello world" net');
    expect(m.lang).toBe("python");
    expect([...m.flags]).toEqual(["run", "net"]);
    expect(m.attrs).toEqual({ id: "x", title: "Hello world" });
  });
});

describe("extractRunnableBlocks", () => {
  it("should pair a run block with the output block after it", () => {
    const mdx = `# T\n\n${f}python run id=a\nprint(1)\n${f}\n\n${f}output unordered\n1\n${f}\n\n${f}python\nnot run\n${f}\n`;
    const [b, ...rest] = extractRunnableBlocks(mdx);
    expect(rest).toHaveLength(0);
    expect(b).toMatchObject({ id: "a", entry: "main.py", files: { "main.py": "print(1)\n" }, expected: "1\n", unordered: true });
  });

  it("should read a playground's files, output and companions", () => {
    const mdx = `<Playground run="server.py">\n\n${f}python file=server.py timeout=5\nS\n${f}\n\n${f}python file=client.py companion\nC\n${f}\n\n${f}json file=data/x.json\n{}\n${f}\n\n${f}output\nok\n${f}\n\n</Playground>\n`;
    const [b] = extractRunnableBlocks(mdx);
    expect(b.entry).toBe("server.py");
    expect(Object.keys(b.files)).toEqual(["server.py", "client.py", "data/x.json"]);
    expect(b.companions).toEqual(["client.py"]);
    expect(b.timeout).toBe(5);
    expect(b.expected).toBe("ok\n");
  });

  it("should name the file and line of a playground without its entry", () => {
    const mdx = `<Playground run="main.py">\n\n${f}python file=other.py\nx\n${f}\n\n</Playground>\n`;
    expect(() => extractRunnableBlocks(mdx, "content/x/en.mdx")).toThrow(/content\/x\/en\.mdx:1: .*main\.py/);
  });

  it("should mark expect=error blocks", () => {
    const [b] = extractRunnableBlocks(`${f}python run expect=error\nraise SystemExit(1)\n${f}\n`);
    expect(b.expectError).toBe(true);
    expect(b.expected).toBeNull();
  });
});
