import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLessonPage, getLessons, isLocale, LOCALES } from "@/lib/content";
import { mdxComponents } from "@/mdx-components";
import { PrevNext } from "@/components/site/PrevNext";
import { Sidebar } from "@/components/site/Sidebar";
import { SiteHeader } from "@/components/site/SiteHeader";
import { InlineCode } from "@/components/site/InlineCode";
import { TableOfContents } from "@/components/site/TableOfContents";
import { t } from "@/components/site/i18n";
// The file, not the package index: the index also exports the client Presentation, whose
// live-session code (and zod) would then ship in every lesson page's first-load JS.
import { PresentLink } from "@/components/present/PresentLink";

interface Params {
  params: Promise<{ lang: string; slug: string }>;
}

// Only the prerendered lessons exist; any other slug is answered by app/global-not-found.tsx.
export const dynamicParams = false;

/** Every lesson in every language is prerendered; a bad lesson fails here, naming its file. */
export function generateStaticParams() {
  return getLessons().flatMap((lesson) => LOCALES.map((lang) => ({ lang, slug: lesson.slug })));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { lang, slug } = await params;
  if (!isLocale(lang)) return {};
  const lesson = getLessons().find((l) => l.slug === slug);
  if (!lesson) return {};
  const meta = lesson.translations[lang];
  return {
    title: meta.title,
    description: meta.summary,
    alternates: { languages: Object.fromEntries(LOCALES.map((l) => [l === "zh" ? "zh-CN" : l, `/${l}/${slug}`])) },
  };
}

export default async function LessonRoute({ params }: Params) {
  const { lang, slug } = await params;
  if (!isLocale(lang)) notFound();
  const page = await getLessonPage(slug, lang, Object.keys(mdxComponents));
  if (!page) notFound();
  const { meta, compiled, previous, next } = page;
  const { Content } = compiled;
  const s = t(lang);
  return (
    <>
      <SiteHeader locale={lang} path={slug} />
      <div className="lesson-layout">
        <Sidebar lessons={getLessons()} locale={lang} currentSlug={slug} />
        <main id="main" tabIndex={-1} className="lesson-main">
          <article className="lesson">
            <header className="lesson-header">
              <div className="lesson-kicker-row">
                <p className="lesson-kicker">
                  {s.lessonNumber(meta.order)}
                  {meta.duration ? ` · ${s.lessonMinutes(meta.duration)}` : ""}
                </p>
                <PresentLink lang={lang} slug={slug} />
              </div>
              <h1>{meta.title}</h1>
              <p className="lesson-summary">{meta.summary}</p>
              {meta.objectives && (
                <div className="lesson-objectives">
                  <p>{s.youWillLearn}</p>
                  <ul>
                    {meta.objectives.map((o) => (
                      <li key={o}>
                        <InlineCode text={o} />
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </header>
            <details className="toc-mobile">
              <summary>{s.onThisPage}</summary>
              <TableOfContents toc={compiled.toc} locale={lang} />
            </details>
            <div className="prose">
              <Content components={mdxComponents} />
            </div>
            <PrevNext previous={previous} next={next} locale={lang} />
          </article>
        </main>
        <aside className="toc-column">
          <TableOfContents toc={compiled.toc} locale={lang} />
        </aside>
      </div>
    </>
  );
}
