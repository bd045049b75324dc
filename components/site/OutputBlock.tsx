import type { Locale } from "@/lib/content/locales";
import { ExpectedOutputText } from "@/components/lesson/ExpectedOutputText";
import { t } from "./i18n";

export interface OutputBlockProps {
  text: string;
  /** True when the lines may appear in another order (concurrent processes). */
  unordered?: boolean;
  locale: Locale;
  /** Overrides the heading ("Output"), e.g. "Expected output" under a runnable example. */
  label?: string;
}

/** What a program prints: a terminal-styled block, labelled for screen readers. */
export function OutputBlock({ text, unordered = false, locale, label }: OutputBlockProps) {
  const s = t(locale);
  const heading = label ?? (unordered ? s.outputUnordered : s.output);
  return (
    <figure className="output-block" data-unordered={unordered || undefined}>
      <figcaption className="output-block-label">{heading}</figcaption>
      <pre className="output-block-text">
        <code>
          <ExpectedOutputText text={text} locale={locale} />
        </code>
      </pre>
    </figure>
  );
}
