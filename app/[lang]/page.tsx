import { notFound } from "next/navigation";
import { getLessons, isLocale } from "@/lib/content";
import { HomePage } from "@/components/site/HomePage";
import { SiteHeader } from "@/components/site/SiteHeader";

export default async function LocaleHome({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  return (
    <>
      <SiteHeader locale={lang} path="" />
      <main id="main" tabIndex={-1} className="page-main">
        <HomePage lessons={getLessons()} locale={lang} />
      </main>
    </>
  );
}
