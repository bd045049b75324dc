/**
 * The site's own inline scripts. They live here, not in the components that render them, because
 * the Content-Security-Policy (csp.ts) allows each by its SHA-256: one source for both.
 */

/** localStorage key holding "light" | "dark" | "system". */
export const THEME_STORAGE_KEY = "spawnpoint-theme";

/**
 * Runs before first paint (inline in <head>, so it blocks rendering for a few µs): applies the saved
 * theme to <html> so a dark-theme reader never sees a white flash. `data-theme` holds the preference,
 * the `dark` class the resolved result.
 */
export const THEME_SCRIPT = `(function(){try{var p=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(p!=="light"&&p!=="dark")p="system";var d=p==="dark"||(p==="system"&&matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.dataset.theme=p;r.style.colorScheme=d?"dark":"light"}catch(e){}})()`;

/**
 * Carries the current `#anchor` over when a `data-keep-hash` link (the language switch) is clicked.
 * A capture listener installed inline, so it works before React hydrates.
 */
export const KEEP_HASH_SCRIPT = `document.addEventListener("click",function(e){var t=e.target;var a=t&&t.closest?t.closest("a[data-keep-hash]"):null;if(a&&location.hash)a.href=a.pathname+location.hash},true)`;

/**
 * The 404 page, before paint: under /zh/… show the Chinese message (and set <html lang>), elsewhere
 * the English one. Without JavaScript both stay visible, which is still correct.
 */
export const NOT_FOUND_LANGUAGE_SCRIPT = `(function(){var zh=/^\\/zh(\\/|$)/.test(location.pathname);var r=document.documentElement;r.lang=zh?"zh-CN":"en";r.dataset.notFoundLang=zh?"zh":"en"})()`;

/** sessionStorage key: set while this tab has reloaded once to become cross-origin isolated. */
export const ISOLATION_RELOAD_KEY = "spawnpoint-isolation-reload";

/**
 * The static export only (public/sw.js): registers the service worker, and reloads the page once
 * when it is controlled but not cross-origin isolated (the first visit, a hard reload), since
 * only a response that came through the worker carries COOP/COEP. The sessionStorage mark stops
 * a loop where isolation cannot happen (a frame in a page that is not isolated).
 */
export const SERVICE_WORKER_SCRIPT = `(function(){var n=navigator.serviceWorker;if(!n||!isSecureContext)return;var k=${JSON.stringify(ISOLATION_RELOAD_KEY)};n.register("/sw.js",{updateViaCache:"none"}).catch(function(){});if(crossOriginIsolated){sessionStorage.removeItem(k);return}function again(){if(sessionStorage.getItem(k))return;sessionStorage.setItem(k,"1");location.reload()}if(n.controller)again();else n.addEventListener("controllerchange",again)})()`;

export const SITE_INLINE_SCRIPTS: readonly string[] = [THEME_SCRIPT, KEEP_HASH_SCRIPT, NOT_FOUND_LANGUAGE_SCRIPT, SERVICE_WORKER_SCRIPT];
