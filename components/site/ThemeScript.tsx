import { KEEP_HASH_SCRIPT, THEME_SCRIPT } from "@/lib/web/inline-scripts";

export { THEME_STORAGE_KEY } from "@/lib/web/inline-scripts";

/** The pre-paint theme script (allowed by its hash in the Content-Security-Policy). */
export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />;
}

/** The language switch's `#anchor` keeper (allowed by its hash in the Content-Security-Policy). */
export function KeepHashScript() {
  return <script dangerouslySetInnerHTML={{ __html: KEEP_HASH_SCRIPT }} />;
}
