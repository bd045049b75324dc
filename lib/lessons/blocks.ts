/**
 * Finds the runnable programs in a lesson's MDX source, with the output the lesson says
 * they print. Shared by the test that runs every lesson block through the Node host and by
 * the author's verification script (scripts/verify-lessons.ts).
 *
 * Conventions (TEAM.md): ```python run``` followed by an ```output``` block (meta
 * `unordered` when line order may vary). Multi-file programs are a
 * `<Playground run="main.py">` whose fenced children carry `file=NAME`, plus an ```output```
 * block inside it (as lib/content's remark plugin reads it). A run block may carry `expect=error` to say the
 * program is meant to fail (non-zero exit), `net` when it needs the socket module, and
 * `nosearch="REASON"` when schedule search cannot check it.
 */
// The parser's own module: lib/content's index brings the MDX compiler.
import { parseFenceMeta as parseContentMeta } from "@/lib/content/fence-meta";

export interface FenceMeta {
  lang: string;
  flags: Set<string>;
  attrs: Record<string, string>;
}

export interface RunnableBlock {
  /** Where it starts in the MDX file (1-based line), for error messages. */
  line: number;
  /** `id=` meta when present, else `line-N`. */
  id: string;
  files: Record<string, string>;
  entry: string;
  /** Expected output; null when the lesson gives none (e.g. a program that runs forever). */
  expected: string | null;
  unordered: boolean;
  /** The lesson says this program exits with an error. */
  expectError: boolean;
  /** Needs the loopback network (lesson 13). */
  needsNetwork: boolean;
  /** Seconds after which the harness stops the program (servers); `timeout=` meta. */
  timeout: number | null;
  /**
   * Other files of a playground that are meant to run next to the entry (a server's
   * client), marked with the `companion` flag. The harness starts them, in order, once the
   * entry has printed its first line, and waits for each to finish.
   */
  companions: string[];
  /**
   * `diverges=REASON`: CPython prints the expected output but this project's runtime is
   * known not to (yet). The Node test then expects a mismatch, so it starts failing, and
   * gets noticed, the day the runtime catches up. The CPython check ignores it.
   */
  diverges: string | null;
  /**
   * `deadlock` or `deadlock="TEXT"`: the program hangs forever, as under CPython. The
   * harness waits for the kernel's deadlock diagnosis (which must contain TEXT, in
   * English), compares the output printed until then, and stops it. Null otherwise.
   */
  deadlock: string | null;
  /**
   * `nosearch="REASON"`: schedule search does not check this block (see lesson-search.ts),
   * for the reason given: it measures real time, or has too many points to explore.
   */
  noSearch: string | null;
  /**
   * `race="TEXT"`: the program races on purpose (the lesson then has search break it). A run
   * usually prints the expected output, but may instead show the race, its output holding
   * TEXT; schedule search does not check the block.
   */
  race: string | null;
}

/** A fence's info string: the language, then its meta (lib/content's parser). */
export function parseFenceMeta(info: string): FenceMeta {
  const trimmed = info.trim();
  const lang = /^\S*/.exec(trimmed)?.[0] ?? "";
  const { flags, values } = parseContentMeta(trimmed.slice(lang.length));
  return { lang, flags, attrs: Object.fromEntries(values) };
}

interface Fence {
  line: number;
  meta: FenceMeta;
  body: string;
}

type Item = { kind: "fence"; fence: Fence } | { kind: "playground-open"; line: number; run: string } | { kind: "playground-close"; line: number };

function scan(source: string): Item[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const items: Item[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (open) {
      const marker = open[2];
      const indent = open[1].length;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]);
        if (close && close[1][0] === marker[0] && close[1].length >= marker.length) break;
        body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)));
      }
      items.push({ kind: "fence", fence: { line: i + 1, meta: parseFenceMeta(open[3]), body: body.join("\n") + "\n" } });
      i = j;
      continue;
    }
    const pg = /<Playground\b([^>]*)>/.exec(lines[i]);
    if (pg) {
      const run = /\brun="([^"]+)"/.exec(pg[1]);
      items.push({ kind: "playground-open", line: i + 1, run: run ? run[1] : "" });
    }
    if (/<\/Playground>/.test(lines[i])) items.push({ kind: "playground-close", line: i + 1 });
  }
  return items;
}

function numberAttr(meta: FenceMeta, name: string): number | null {
  const v = meta.attrs[name];
  return v === undefined ? null : Number(v);
}

/** Every runnable program of one MDX file, in document order. Throws on malformed playgrounds. */
export function extractRunnableBlocks(source: string, fileName = "lesson.mdx"): RunnableBlock[] {
  const items = scan(source);
  const blocks: RunnableBlock[] = [];
  const takeOutput = (k: number): { expected: string | null; unordered: boolean } => {
    const next = items[k];
    if (next && next.kind === "fence" && next.fence.meta.lang === "output") {
      return { expected: next.fence.body, unordered: next.fence.meta.flags.has("unordered") };
    }
    return { expected: null, unordered: false };
  };
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (item.kind === "fence" && item.fence.meta.lang === "python" && item.fence.meta.flags.has("run")) {
      const { meta } = item.fence;
      blocks.push({
        line: item.fence.line,
        id: meta.attrs.id ?? `line-${item.fence.line}`,
        files: { "main.py": item.fence.body },
        entry: "main.py",
        ...takeOutput(k + 1),
        expectError: meta.attrs.expect === "error",
        needsNetwork: meta.flags.has("net"),
        timeout: numberAttr(meta, "timeout"),
        companions: [],
        diverges: meta.attrs.diverges ?? null,
        deadlock: meta.attrs.deadlock ?? (meta.flags.has("deadlock") ? "" : null),
        noSearch: meta.attrs.nosearch ?? (meta.flags.has("nosearch") ? "" : null),
        race: meta.attrs.race ?? null,
      });
    } else if (item.kind === "playground-open") {
      const files: Record<string, string> = {};
      let runMeta: FenceMeta | null = null;
      let output: { expected: string | null; unordered: boolean } = { expected: null, unordered: false };
      const companions: string[] = [];
      let j = k + 1;
      for (; j < items.length && items[j].kind !== "playground-close"; j++) {
        const inner = items[j];
        if (inner.kind !== "fence") throw new Error(`${fileName}:${inner.line}: nested <Playground>`);
        if (inner.fence.meta.lang === "output") {
          output = { expected: inner.fence.body, unordered: inner.fence.meta.flags.has("unordered") };
          continue;
        }
        const name = inner.fence.meta.attrs.file;
        if (!name) throw new Error(`${fileName}:${inner.fence.line}: a block inside <Playground> needs file=NAME`);
        files[name] = inner.fence.body;
        if (name === item.run) runMeta = inner.fence.meta;
        else if (inner.fence.meta.flags.has("companion")) companions.push(name);
      }
      if (j >= items.length) throw new Error(`${fileName}:${item.line}: <Playground> is never closed`);
      if (!runMeta) throw new Error(`${fileName}:${item.line}: <Playground run="${item.run}"> has no file=${item.run}`);
      blocks.push({
        line: item.line,
        id: runMeta.attrs.id ?? `line-${item.line}`,
        files,
        entry: item.run,
        ...output,
        expectError: runMeta.attrs.expect === "error",
        needsNetwork: runMeta.flags.has("net") || Object.values(files).some((f) => /^\s*(import socket|from socket)/m.test(f)),
        timeout: numberAttr(runMeta, "timeout"),
        companions,
        diverges: runMeta.attrs.diverges ?? null,
        deadlock: runMeta.attrs.deadlock ?? (runMeta.flags.has("deadlock") ? "" : null),
        noSearch: runMeta.attrs.nosearch ?? (runMeta.flags.has("nosearch") ? "" : null),
        race: runMeta.attrs.race ?? null,
      });
      k = j;
    }
  }
  return blocks;
}
