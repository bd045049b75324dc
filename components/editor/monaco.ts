/**
 * Loads Monaco on demand (never part of a lesson page's first-load JavaScript): the core
 * editor API, its standard features and only the Python grammar, instead of the full
 * package with the TypeScript/CSS/HTML language services the lessons never use.
 */
export type Monaco = typeof import("monaco-editor/editor/editor.api");

let loading: Promise<Monaco> | null = null;

/** Background colours match shiki's github-light / github-dark so the swap is invisible. */
export const EDITOR_THEMES = { light: "spawnpoint-light", dark: "spawnpoint-dark" } as const;

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    // Turbopack does not resolve Monaco's worker by itself (see ENVIRONMENT.md): point
    // it at the module worker before the editor first asks for one.
    self.MonacoEnvironment = {
      getWorker: () => new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), { type: "module" }),
    };
    const [monaco] = await Promise.all([
      import("monaco-editor/editor/editor.api"),
      import("monaco-editor/features/register.all"),
      import("monaco-editor/languages/definitions/python/register"),
    ]);
    // GitHub's palette (what shiki paints first), with the low-contrast shades darkened
    // to meet WCAG AA, so the swap from the static view changes no colour.
    monaco.editor.defineTheme(EDITOR_THEMES.light, {
      base: "vs",
      inherit: true,
      rules: [
        { token: "", foreground: "24292e" },
        { token: "keyword", foreground: "b31d28" },
        { token: "string", foreground: "032f62" },
        { token: "number", foreground: "005cc5" },
        { token: "comment", foreground: "6a737d" },
        { token: "type", foreground: "6f42c1" },
        { token: "delimiter", foreground: "24292e" },
      ],
      colors: { "editor.background": "#ffffff", "editor.foreground": "#24292e" },
    });
    monaco.editor.defineTheme(EDITOR_THEMES.dark, {
      base: "vs-dark",
      inherit: true,
      rules: [
        { token: "", foreground: "e1e4e8" },
        { token: "keyword", foreground: "f97583" },
        { token: "string", foreground: "9ecbff" },
        { token: "number", foreground: "79b8ff" },
        { token: "comment", foreground: "959da5" },
        { token: "type", foreground: "b392f0" },
        { token: "delimiter", foreground: "e1e4e8" },
      ],
      colors: { "editor.background": "#24292e", "editor.foreground": "#e1e4e8" },
    });
    return monaco;
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
