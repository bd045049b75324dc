import type { ReactNode } from "react";
import type { Locale } from "@/lib/content/locales";
import { LiveExample } from "./LiveExample";

/** One file of a multi-file example: ```` ```python file=server.py ```` inside `<Playground>`. */
export interface PlaygroundFile {
  /** Path inside the simulated file system, e.g. `server.py` or `data/tickets.json`. */
  name: string;
  /** Fence language (python, json, …). */
  lang: string;
  /** Original source text. */
  code: string;
  /** shiki HTML for `code`, built at build time. */
  html: string;
}

/**
 * Props of `<Playground run="server.py">…</Playground>`, filled in at build time by
 * lib/content/remark-lesson.ts (authors only write `run`, optional `id`/`title`, and the
 * fenced blocks). KEEP THIS CONTRACT STABLE: lessons compile against it.
 */
export interface PlaygroundProps {
  /** `id` attribute, else `playground-1`, `playground-2`, … in page order. */
  id: string;
  title?: string;
  /** Entry file to run; always one of `files` (checked at build). */
  run: string;
  /** Files in the order written. */
  files: PlaygroundFile[];
  /** A ```` ```output ```` block inside the Playground, if any. */
  expectedOutput?: string;
  unordered: boolean;
  locale: Locale;
  /** Any other MDX content written inside the Playground (rendered under the files). */
  children?: ReactNode;
}

/**
 * A multi-file live example: files as tabs, Run starts `run`, and every other Python file
 * can be started next to it (a server and a client at once), each in its own terminal.
 */
export function Playground({ id, title, run, files, expectedOutput, unordered, locale, children }: PlaygroundProps) {
  return (
    <LiveExample id={id} title={title} files={files} entry={run} expectedOutput={expectedOutput} unordered={unordered} locale={locale}>
      {children}
    </LiveExample>
  );
}
