/**
 * What `npm run -s py -- FILE.py` copies into the machine's file system: FILE itself, always,
 * then the rest of its folder nearest first (the folder's own files, then each subfolder's, in
 * name order, breadth first), as long as the limits allow. A script saved straight into a big
 * folder (`/tmp`, a home directory) then still runs, and the walk stops at the limits instead
 * of reading the whole tree.
 */
import fs from "node:fs";
import path from "node:path";

/** Folders a program never reads from (tools' caches and checkouts). */
const SKIP = new Set(["node_modules", ".git", "__pycache__", ".venv"]);

export interface ProgramFileLimits {
  /** Files copied, FILE included. */
  readonly maxFiles: number;
  /** Bytes copied (FILE counts, and is copied whatever its size). */
  readonly maxBytes: number;
  /** Directory entries looked at before the walk stops. */
  readonly maxEntries: number;
}

export const PROGRAM_FILE_LIMITS: ProgramFileLimits = { maxFiles: 500, maxBytes: 16 << 20, maxEntries: 20_000 };

export interface ProgramFiles {
  /** Path relative to FILE's folder → contents. */
  readonly files: Record<string, Uint8Array>;
  /** FILE's name, the program's entry. */
  readonly entry: string;
  /** Files of the folder that did not fit in maxBytes (more may be left when the walk stopped early). */
  readonly leftOut: number;
  /** The walk stopped before it had looked at the whole folder. */
  readonly stoppedEarly: boolean;
}

export function collectProgramFiles(file: string, limits: ProgramFileLimits = PROGRAM_FILE_LIMITS): ProgramFiles {
  const dir = path.dirname(file);
  const entry = path.basename(file);
  const files: Record<string, Uint8Array> = { [entry]: fs.readFileSync(file) };
  let count = 1;
  let bytes = files[entry].length;
  let leftOut = 0;
  let seen = 0;
  const queue: [string, string][] = [[dir, ""]];
  while (queue.length > 0) {
    const [d, rel] = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      continue; // unreadable: as if empty
    }
    for (const ent of entries) {
      if (++seen > limits.maxEntries || count >= limits.maxFiles) return { files, entry, leftOut, stoppedEarly: true };
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (r === entry || SKIP.has(ent.name)) continue;
      const full = path.join(d, ent.name);
      if (ent.isDirectory()) queue.push([full, r]);
      else if (ent.isFile()) {
        let size: number;
        try {
          size = fs.statSync(full).size;
          if (bytes + size > limits.maxBytes) {
            leftOut++;
            continue;
          }
          files[r] = fs.readFileSync(full);
        } catch {
          continue; // unreadable or gone: python3 could not read it either
        }
        count++;
        bytes += size;
      }
    }
  }
  return { files, entry, leftOut, stoppedEarly: false };
}

/** The line the CLI prints after a failed run when files were left out: what may explain a FileNotFoundError. */
export function leftOutNote(dir: string, p: ProgramFiles, limits: ProgramFileLimits = PROGRAM_FILE_LIMITS): string {
  const what = p.stoppedEarly ? `${dir} holds more files than` : `${p.leftOut} file(s) of ${dir} did not fit in`;
  return `spawnpoint: note: ${what} what is copied into the program's file system (at most ${limits.maxFiles} files and ${limits.maxBytes >> 20} MB, nearest first); run the script from a folder of its own to give it all of them\n`;
}
