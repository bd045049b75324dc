import type { Metadata } from "next";
import { NotFoundContent } from "@/components/site/NotFoundContent";
import { ThemeScript } from "@/components/site/ThemeScript";
import { NOT_FOUND_LANGUAGE_SCRIPT } from "@/lib/web/inline-scripts";
import "./globals.css";

export const metadata: Metadata = { title: "404 · Spawnpoint" };

/**
 * Every URL that matches no page (/typo, /en/typo, /zh/typo) lands here: Next renders it
 * directly, outside the root layouts, so it brings its own <html>, theme script and CSS.
 */
export default function GlobalNotFound() {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
        <script dangerouslySetInnerHTML={{ __html: NOT_FOUND_LANGUAGE_SCRIPT }} />
      </head>
      <body>
        <main id="main" className="page-main not-found-both">
          <div lang="en" data-lang="en">
            <NotFoundContent locale="en" />
          </div>
          <div lang="zh-CN" data-lang="zh">
            <NotFoundContent locale="zh" />
          </div>
        </main>
      </body>
    </html>
  );
}
