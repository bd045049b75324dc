import { bundledLanguages, createHighlighter, type BundledLanguage, type Highlighter } from "shiki";

/**
 * Build-time syntax highlighting. Both themes are emitted at once as CSS variables
 * (`--shiki-light`, `--shiki-dark`, `defaultColor: false`), so switching theme is pure
 * CSS: no client highlighter and no re-render.
 */
export const CODE_THEMES = { light: "github-light", dark: "github-dark" } as const;

/** Fence languages rendered as plain text (no grammar). */
const PLAIN_LANGUAGES = new Set(["", "text", "txt", "plain", "output", "console"]);

let highlighter: Promise<Highlighter> | undefined;

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: [CODE_THEMES.light, CODE_THEMES.dark], langs: ["python"] });
  return highlighter;
}

export class UnknownLanguageError extends Error {
  constructor(readonly language: string) {
    super(`unknown code language "${language}" (use a language shiki knows, or "text")`);
  }
}

/** Returns shiki's `<pre class="shiki">…</pre>` HTML for `code`. */
export async function highlightCode(code: string, language: string | null | undefined): Promise<string> {
  const h = await getHighlighter();
  let lang = (language ?? "").toLowerCase();
  if (PLAIN_LANGUAGES.has(lang)) {
    lang = "text";
  } else {
    if (!(lang in bundledLanguages)) throw new UnknownLanguageError(lang);
    if (!h.getLoadedLanguages().includes(lang)) await h.loadLanguage(lang as BundledLanguage);
  }
  return h.codeToHtml(code, { lang, themes: CODE_THEMES, defaultColor: false });
}
