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
    monaco.editor.defineTheme(EDITOR_THEMES.light, { base: "vs", inherit: true, rules: [], colors: { "editor.background": "#ffffff" } });
    monaco.editor.defineTheme(EDITOR_THEMES.dark, { base: "vs-dark", inherit: true, rules: [], colors: { "editor.background": "#24292e" } });
    return monaco;
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
