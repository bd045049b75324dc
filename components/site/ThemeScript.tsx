/** localStorage key holding "light" | "dark" | "system". */
export const THEME_STORAGE_KEY = "spawnpoint-theme";

/**
 * Runs before first paint (inline in <head>, so it blocks rendering for a few µs):
 * applies the saved theme to <html> so a dark-theme reader never sees a white flash.
 * `data-theme` holds the preference, the `dark` class the resolved result.
 */
const script = `(function(){try{var p=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(p!=="light"&&p!=="dark")p="system";var d=p==="dark"||(p==="system"&&matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.dataset.theme=p;r.style.colorScheme=d?"dark":"light"}catch(e){}})()`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}

/**
 * Carries the current `#anchor` over when a `data-keep-hash` link (the language switch) is
 * clicked. A capture listener installed inline, so it works before React hydrates.
 */
const keepHash = `document.addEventListener("click",function(e){var t=e.target;var a=t&&t.closest?t.closest("a[data-keep-hash]"):null;if(a&&location.hash)a.href=a.pathname+location.hash},true)`;

export function KeepHashScript() {
  return <script dangerouslySetInnerHTML={{ __html: keepHash }} />;
}
