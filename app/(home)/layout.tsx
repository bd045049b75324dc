import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SkipLink } from "@/components/site/SkipLink";
import { KeepHashScript, ServiceWorkerScript, ThemeScript } from "@/components/site/ThemeScript";
import { dictionary } from "@/components/site/i18n";
import "../globals.css";

export const metadata: Metadata = {
  title: dictionary.en.siteName,
  description: dictionary.en.tagline,
};

/** Root layout of `/` (English landing with a language choice); lessons live under app/[lang]. */
export default function HomeLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
        <KeepHashScript />
        <ServiceWorkerScript />
      </head>
      <body>
        <SkipLink locale="en" />
        {children}
      </body>
    </html>
  );
}
