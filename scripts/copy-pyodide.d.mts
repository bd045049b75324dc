/** Types for scripts/copy-pyodide.mjs (a plain Node script so `predev`/`prebuild` need no TS loader). */
export declare const PYODIDE_FILES: readonly string[];

export interface CopyPyodideOptions {
  /** Source folder; default: the installed `pyodide` package. */
  from?: string;
  /** Destination; default: `public/pyodide`. */
  to?: string;
  log?: (message: string) => void;
}

/** Copies the Pyodide runtime files, skipping ones already up to date. */
export declare function copyPyodide(options?: CopyPyodideOptions): { copied: number; version: string };
