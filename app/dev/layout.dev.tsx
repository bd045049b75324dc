import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ThemeScript } from "@/components/site/ThemeScript";
import "../globals.css";

export const metadata: Metadata = { title: "Spawnpoint dev fixtures", robots: { index: false } };

/** Root layout of /dev/* : fixture pages used only by browser tests and benchmarks. */
export default function DevLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body>{children}</body>
    </html>
  );
}
