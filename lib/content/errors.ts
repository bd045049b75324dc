/**
 * A broken lesson. The message always starts with the file's path relative to
 * the project root, so a failed build points straight at what to fix.
 */
export class ContentError extends Error {
  override readonly name = "ContentError";

  constructor(
    /** Path of the offending file or folder, relative to the project root. */
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
