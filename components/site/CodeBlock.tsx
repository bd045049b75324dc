import type { Locale } from "@/lib/content/locales";
import { CopyButton } from "./CopyButton";
import { t } from "./i18n";

export interface CodeBlockProps {
  /** Original source, used by the copy button. */
  code: string;
  /** shiki's `<pre class="shiki">` HTML, produced at build time. */
  html: string;
  lang: string;
  title?: string;
  locale: Locale;
}

/** A static, build-time highlighted code block with a copy button. */
export function CodeBlock({ code, html, lang, title, locale }: CodeBlockProps) {
  const s = t(locale);
  return (
    <figure className="code-block" data-lang={lang}>
      <figcaption className="code-block-bar">
        <span className="code-block-title">{title ?? lang}</span>
        <CopyButton text={code} label={s.copy} copiedLabel={s.copied} ariaLabel={s.copyCode} />
      </figcaption>
      <div className="code-block-body" dangerouslySetInnerHTML={{ __html: html }} />
    </figure>
  );
}
