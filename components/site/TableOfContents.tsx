import type { Locale, TocEntry } from "@/lib/content";
import { t } from "./i18n";

/** In-page links to the lesson's h2/h3 sections. */
export function TableOfContents({ toc, locale }: { toc: TocEntry[]; locale: Locale }) {
  if (toc.length === 0) return null;
  const s = t(locale);
  return (
    <nav aria-label={s.onThisPage} className="toc">
      <p className="toc-heading">{s.onThisPage}</p>
      <ul>
        {toc.map((entry) => (
          <li key={entry.id} data-depth={entry.depth}>
            <a href={`#${entry.id}`}>{entry.text}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
