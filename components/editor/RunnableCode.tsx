import type { Locale } from "@/lib/content/locales";
import { CopyButton } from "@/components/site/CopyButton";
import { OutputBlock } from "@/components/site/OutputBlock";
import { t } from "@/components/site/i18n";

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
  /** Language of the page, for UI strings. */
  locale: Locale;
}

/**
 * First version: the static, highlighted example with a copy button and its expected
 * output. The live editor (issue 5) replaces the body with Monaco + Run + terminal,
 * loading lazily behind this same markup so the layout does not move.
 */
export function RunnableCode({ id, title, lang, code, html, expectedOutput, unordered, locale }: RunnableCodeProps) {
  const s = t(locale);
  return (
    <section className="runnable" aria-label={title ?? s.runnableExample} data-example-id={id}>
      <div className="code-block" data-lang={lang}>
        <div className="code-block-bar">
          <span className="code-block-title">{title ?? s.runnableExample}</span>
          <CopyButton text={code} label={s.copy} copiedLabel={s.copied} ariaLabel={s.copyCode} />
        </div>
        <div className="code-block-body" dangerouslySetInnerHTML={{ __html: html }} />
      </div>
      {expectedOutput !== undefined && (
        <OutputBlock text={expectedOutput} unordered={unordered} locale={locale} label={unordered ? s.outputUnordered : s.output} />
      )}
    </section>
  );
}
