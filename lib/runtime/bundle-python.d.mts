import type { PythonSources } from "./protocol";

export const BUNDLE_FILE: string;
export function collectPython(dir?: string): Record<string, string>;
export function renderBundle(sources: PythonSources): string;
export function writeBundle(): string;
export function setup(): void;
