/** The shell's file built-ins (ls, cat, rm, cd) and redirections, on the machine's shared file system. */
import { resolvePath } from "@/lib/kernel";
import type { MachinePort } from "@/lib/runtime/port";
import type { Redirect } from "./parse";

const enc = new TextEncoder();
const dec = new TextDecoder();

type Out = (s: string) => void;

export class ShellFiles {
  constructor(private readonly m: MachinePort) {}

  /** An absolute, normalised path (relative ones are from the working directory). */
  abs(p: string): string {
    return resolvePath(this.m.cwd, p);
  }

  ls(args: readonly string[], write: Out, err: Out): number {
    const all = args.includes("-a") || args.includes("-la") || args.includes("-al");
    const paths = args.filter((a) => !a.startsWith("-"));
    if (paths.length === 0) paths.push(".");
    let code = 0;
    const listings: string[] = [];
    for (const p of paths) {
      const abs = this.abs(p);
      const kind = this.m.fs.exists(abs);
      if (kind === null) {
        err(`ls: cannot access '${p}': No such file or directory\n`);
        code = 2;
        continue;
      }
      if (kind === "file") {
        listings.push(p);
        continue;
      }
      const prefix = abs === "/" ? "/" : abs + "/";
      const names = new Set<string>();
      for (const f of this.m.fs.list(abs)) {
        const name = f.slice(prefix.length).split("/")[0];
        if (name && (all || !name.startsWith("."))) names.add(name);
      }
      const body = [...names].sort((a, b) => a.localeCompare(b)).join("  ");
      listings.push(paths.length > 1 ? `${p}:\n${body}` : body);
    }
    const text = listings.filter((l) => l !== "").join("\n");
    if (text) write(text + "\n");
    return code;
  }

  cat(args: readonly string[], write: Out, err: Out): number {
    if (args.length === 0) {
      err("cat: reading standard input is not available here; name a file: cat FILE\n");
      return 1;
    }
    let code = 0;
    for (const a of args) {
      const abs = this.abs(a);
      const kind = this.m.fs.exists(abs);
      if (kind !== "file") {
        err(`cat: ${a}: ${kind === "dir" ? "Is a directory" : "No such file or directory"}\n`);
        code = 1;
        continue;
      }
      write(dec.decode(this.m.fs.readFile(abs)));
    }
    return code;
  }

  rm(args: readonly string[], err: Out): number {
    const force = args.some((a) => /^-[a-z]*f/.test(a));
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length === 0) {
      if (force) return 0;
      err("rm: missing operand\n");
      return 1;
    }
    let code = 0;
    for (const f of files) {
      const abs = this.abs(f);
      const kind = this.m.fs.exists(abs);
      if (kind === "file") this.m.fs.unlink(abs);
      else if (kind === "dir") {
        err(`rm: cannot remove '${f}': Is a directory\n`);
        code = 1;
      } else if (!force) {
        err(`rm: cannot remove '${f}': No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  }

  cd(args: readonly string[], err: Out): number {
    if (args.length === 0 || args[0] === "~" || this.abs(args[0]) === this.m.cwd) return 0;
    err(`cd: ${args[0]}: ${this.m.fs.exists(this.abs(args[0])) === "dir" ? "programs here always run in " + this.m.cwd : "No such file or directory"}\n`);
    return 1;
  }

  /** Writes (or appends) to a file; returns an error message or null. `touchOnly`: only creates/truncates. */
  writeFile(r: Redirect, text: string, touchOnly = false): string | null {
    const abs = this.abs(r.path);
    const kind = this.m.fs.exists(abs);
    if (kind === "dir") return `sh: ${r.path}: Is a directory\n`;
    const dir = abs.slice(0, abs.lastIndexOf("/")) || "/";
    if (this.m.fs.exists(dir) !== "dir") return `sh: ${r.path}: No such file or directory\n`;
    if (touchOnly && kind === "file" && r.append) return null;
    const old = r.append && kind === "file" ? this.m.fs.readFile(abs) : new Uint8Array(0);
    const add = enc.encode(text);
    const next = new Uint8Array(old.length + add.length);
    next.set(old);
    next.set(add, old.length);
    this.m.fs.writeFile(abs, next);
    return null;
  }
}
