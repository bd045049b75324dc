/**
 * Server component behind /[lang]/[slug]/present and /[lang]/[slug]/presenter: the lesson from
 * lib/content (the same compiled MDX and component map as the reading view), split into slides.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLessonPage, getLessons, isLocale, LOCALES } from "@/lib/content";
import { mdxComponents } from "@/mdx-components";
import { splitIntoSlides } from "./build-slides";
import { Presentation } from "./Presentation";
import { STRINGS } from "./strings";

export interface PresentationRouteParams {
  params: Promise<{ lang: string; slug: string }>;
}

export function presentationStaticParams() {
  return getLessons().flatMap((lesson) => LOCALES.map((lang) => ({ lang, slug: lesson.slug })));
}

export async function presentationMetadata({ params }: PresentationRouteParams, mode: "audience" | "presenter"): Promise<Metadata> {
  const { lang, slug } = await params;
  if (!isLocale(lang)) return {};
  const lesson = getLessons().find((l) => l.slug === slug);
  if (!lesson) return {};
  const title = lesson.translations[lang].title;
  // Presentations are a view of a lesson page: keep them out of search results.
  return { title: mode === "presenter" ? `${STRINGS[lang].presenter}: ${title}` : title, robots: { index: false } };
}

export async function PresentationPage({ params, mode }: PresentationRouteParams & { mode: "audience" | "presenter" }) {
  const { lang, slug } = await params;
  if (!isLocale(lang)) notFound();
  const page = await getLessonPage(slug, lang);
  if (!page) notFound();
  const { meta, compiled } = page;
  const slides = splitIntoSlides(compiled.Content, mdxComponents, meta.title);
  return (
    <Presentation
      mode={mode}
      lang={lang}
      slug={slug}
      lesson={{ order: meta.order, title: meta.title, summary: meta.summary, objectives: meta.objectives }}
      slides={slides}
    />
  );
}
