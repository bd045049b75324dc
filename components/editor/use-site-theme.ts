"use client";

import { useSyncExternalStore } from "react";

export type SiteTheme = "light" | "dark";

/**
 * The site's effective theme. The site marks dark mode on <html> (class "dark" or
 * data-theme="dark"); without either, the OS preference decides ("system"). Watching
 * both keeps Monaco and xterm in step when the reader switches theme live.
 */
function read(): SiteTheme {
  const html = document.documentElement;
  const attr = html.dataset.theme;
  if (attr === "dark" || html.classList.contains("dark")) return "dark";
  if (attr === "light" || html.classList.contains("light")) return "light";
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function subscribe(onChange: () => void): () => void {
  const mo = new MutationObserver(onChange);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "data-theme", "style"] });
  const mq = matchMedia("(prefers-color-scheme: dark)");
  mq.addEventListener("change", onChange);
  return () => {
    mo.disconnect();
    mq.removeEventListener("change", onChange);
  };
}

export function useSiteTheme(): SiteTheme {
  return useSyncExternalStore(subscribe, read, () => "light");
}
