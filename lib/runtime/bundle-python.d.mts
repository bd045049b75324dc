import type { PythonSources } from "./protocol";

export function collectPython(dir?: string): Record<string, string>;
export function renderBundle(sources: PythonSources): string;
