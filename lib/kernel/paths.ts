/** Path arithmetic shared by the worker's fs mirror and the shell (no I/O). */

/** An absolute, normalised path: `p` as is when absolute, else from `cwd`; `.`, `..` and `//` resolved. */
export function resolvePath(cwd: string, p: string): string {
  const full = p.startsWith("/") ? p : `${cwd}/${p}`;
  const parts: string[] = [];
  for (const part of full.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}
