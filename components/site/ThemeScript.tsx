import { KEEP_HASH_SCRIPT, SERVICE_WORKER_SCRIPT, THEME_SCRIPT } from "@/lib/web/inline-scripts";

export { THEME_STORAGE_KEY } from "@/lib/web/inline-scripts";

/** The pre-paint theme script (allowed by its hash in the Content-Security-Policy). */
export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />;
}

/** The language switch's `#anchor` keeper (allowed by its hash in the Content-Security-Policy). */
export function KeepHashScript() {
  return <script dangerouslySetInnerHTML={{ __html: KEEP_HASH_SCRIPT }} />;
}

/** The static export's service-worker registration (public/sw.js); nothing in a server build, which sends its own headers. */
export function ServiceWorkerScript() {
  if (process.env.NEXT_PUBLIC_SPAWNPOINT_STATIC !== "1") return null;
  return <script dangerouslySetInnerHTML={{ __html: SERVICE_WORKER_SCRIPT }} />;
}
