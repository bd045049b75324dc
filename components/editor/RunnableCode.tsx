import type { Locale } from "@/lib/content/locales";
import { LiveExample } from "./LiveExample";

/**
 * Props of a runnable example. Produced at build time by lib/content/remark-lesson.ts
 * from a fenced block ```` ```python run id=… title=… ```` and the ```` ```output ````
 * block right after it. KEEP THIS CONTRACT STABLE: lessons compile against it.
 */
export interface RunnableCodeProps {
  /** Unique within the lesson: the `id=` meta, else `run-1`, `run-2`, … in page order. */
  id: string;
  /** The `title=` meta (e.g. a file name), if any. */
  title?: string;
  /** Fence language; always "python" for runnable blocks today. */
  lang: string;
  /** The original Python source, exactly as written in the lesson. */
  code: string;
  /** shiki's `<pre class="shiki">` HTML for `code` (light + dark via CSS variables), rendered before any editor loads. */
  html: string;
  /** Text of the following ```` ```output ```` block (trailing newline removed), if the author gave one. */
  expectedOutput?: string;
  /** The output block had the `unordered` meta: line order may differ between runs. Default false. */
  unordered: boolean;
  /** The `chart=` meta: a chart drawn from the program's output as it prints (only "speedup" today). */
  chart?: "speedup";
  /** Language of the page, for UI strings. */
  locale: Locale;
}

/**
 * A runnable example: the server renders the shiki-highlighted code inside the live
 * example's frame; Monaco, the terminal and Python load lazily on the client.
 */
export function RunnableCode({ id, title, lang, code, html, expectedOutput, unordered, chart, locale }: RunnableCodeProps) {
  return (
    <LiveExample
      id={id}
      title={title}
      files={[{ name: "main.py", lang, code, html }]}
      entry="main.py"
      expectedOutput={expectedOutput}
      unordered={unordered}
      chart={chart}
      locale={locale}
    />
  );
}
