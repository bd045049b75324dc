import type { Metadata, Viewport } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { htmlLang, isLocale, LOCALES } from "@/lib/content";
import { SkipLink } from "@/components/site/SkipLink";
import { KeepHashScript, ServiceWorkerScript, ThemeScript } from "@/components/site/ThemeScript";
import { t } from "@/components/site/i18n";
import "../globals.css";

// Only /en and /zh exist; any other first segment is answered by app/global-not-found.tsx.
export const dynamicParams = false;

export function generateStaticParams() {
  return LOCALES.map((lang) => ({ lang }));
}

export async function generateMetadata({ params }: { params: Promise<{ lang: string }> }): Promise<Metadata> {
  const { lang } = await params;
  if (!isLocale(lang)) return {};
  const s = t(lang);
  return { title: { default: s.siteName, template: `%s · ${s.siteName}` }, description: s.tagline };
}

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0d1117" },
  ],
};

/** Root layout per language, so `<html lang>` is right in the static HTML. */
export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  return (
    // The pre-paint theme script sets class/data-theme on <html> before React hydrates.
    <html lang={htmlLang(lang)} suppressHydrationWarning>
      <head>
        <ThemeScript />
        <KeepHashScript />
        <ServiceWorkerScript />
      </head>
      <body>
        <SkipLink locale={lang} />
        {children}
      </body>
    </html>
  );
}
