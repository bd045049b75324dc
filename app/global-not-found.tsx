import type { Metadata } from "next";
import { NotFoundContent } from "@/components/site/NotFoundContent";
import { ThemeScript } from "@/components/site/ThemeScript";
import "./globals.css";

export const metadata: Metadata = { title: "404 · Spawnpoint" };

/**
 * URLs outside /, /en/… and /zh/… match no layout, so Next renders this page directly.
 * The language is unknown here: answer in both.
 */
export default function GlobalNotFound() {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body>
        <main id="main" className="page-main not-found-both">
          <NotFoundContent locale="en" />
          <div lang="zh-CN">
            <NotFoundContent locale="zh" />
          </div>
        </main>
      </body>
    </html>
  );
}
