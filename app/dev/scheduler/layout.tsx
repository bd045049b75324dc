import type { ReactNode } from "react";
import { ThemeScript } from "@/components/site/ThemeScript";
import "../../globals.css";

/** Root layout for the scheduler's browser-test fixture page (not linked from the site). */
export default function DevSchedulerLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body>{children}</body>
    </html>
  );
}
