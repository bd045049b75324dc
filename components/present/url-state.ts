/**
 * The presentation's URL and stored settings as external stores (read with useSyncExternalStore),
 * so the URL is the one source of truth for the slide: `?slide=N` (1-based; the hash belongs to
 * the scheduler views and share links) and `?join=CODE` for students.
 */
const URL_EVENT = "spawnpoint:present-url";
const ZOOM_EVENT = "spawnpoint:present-zoom";
const ZOOM_KEY = "spawnpoint-present-zoom";

export function subscribeUrl(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(URL_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(URL_EVENT, onChange);
  };
}

/** 0-based slide from `?slide=N`; 0 when absent or malformed. */
export function readSlide(): number {
  const n = Number(new URLSearchParams(window.location.search).get("slide"));
  return Number.isInteger(n) && n >= 1 ? n - 1 : 0;
}

export function writeSlide(index: number): void {
  const url = new URL(window.location.href);
  const value = String(index + 1);
  if (url.searchParams.get("slide") === value) return;
  url.searchParams.set("slide", value);
  // Keep Next's history state; replaceState so the back button leaves the presentation.
  window.history.replaceState(window.history.state, "", url.toString());
  window.dispatchEvent(new Event(URL_EVENT));
}

export function readJoin(): string | null {
  const code = new URLSearchParams(window.location.search).get("join");
  return code ? code.toUpperCase() : null;
}

export function subscribeZoom(onChange: () => void): () => void {
  window.addEventListener(ZOOM_EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(ZOOM_EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function readZoom(): number {
  const z = Number(window.localStorage.getItem(ZOOM_KEY));
  return z >= 0.5 && z <= 2.5 ? z : 1;
}

/** by: +1 / −1 steps of 10 %, 0 resets. */
export function changeZoom(by: 1 | -1 | 0): void {
  const next = by === 0 ? 1 : Math.round(Math.max(0.5, Math.min(2.5, readZoom() + by * 0.1)) * 10) / 10;
  window.localStorage.setItem(ZOOM_KEY, String(next));
  window.dispatchEvent(new Event(ZOOM_EVENT));
}

export const noSubscribe = () => () => {};
