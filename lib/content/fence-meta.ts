/**
 * A fence's meta string, as lessons write it after the language: `run id=hello
 * title="Hello world" unordered`. No dependencies: the MDX pipeline (remark-lesson.ts)
 * and lib/lessons' block extraction both read fences with it.
 */
export interface FenceMeta {
  flags: Set<string>;
  values: Map<string, string>;
}

/** Parses a fence's meta string: `run id=hello title="Hello world" unordered`. */
export function parseFenceMeta(meta: string | null | undefined): FenceMeta {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const token = /([A-Za-z_][\w-]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;
  for (const m of (meta ?? "").matchAll(token)) {
    const value = m[2] ?? m[3] ?? m[4];
    if (value === undefined) flags.add(m[1]);
    else values.set(m[1], value);
  }
  return { flags, values };
}
