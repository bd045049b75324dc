/** `python FILE [ARGS]` / `python -c CODE` / `python --version`: what to run, or what to print instead. */
import { Errno, strerror } from "@/lib/kernel/errors";
import type { MachinePort } from "@/lib/runtime/port";

export type PythonCommand =
  | { readonly kind: "run"; readonly entry: string; readonly argv: string[]; readonly argv0?: string }
  | { readonly kind: "print"; readonly text: string; readonly status: number };

const enc = new TextEncoder();
let nextCode = 1;

/** `abs` resolves a path from the working directory. */
export function parsePython(m: MachinePort, name: string, args: readonly string[], abs: (p: string) => string, version: string): PythonCommand {
  let i = 0;
  while (i < args.length && ["-u", "-B", "-E", "-s", "-S", "-I", "-q"].includes(args[i])) i++;
  const first = args[i];
  if (first === "--version" || first === "-V") return { kind: "print", text: `Python ${version}\n`, status: 0 };
  if (first === "-h" || first === "--help") return { kind: "print", text: `usage: ${name} [-c cmd | file] [arg] ...\n`, status: 0 };
  if (first === undefined) {
    return { kind: "print", text: `${name}: the interactive interpreter is not available here; run a file: ${name} FILE.py\n`, status: 2 };
  }
  if (first === "-c") {
    if (args[i + 1] === undefined) {
      const text = `Argument expected for the -c option\nusage: ${name} [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry \`${name} -h' for more information.\n`;
      return { kind: "print", text, status: 2 };
    }
    // Like CPython, `-c` code runs from no file, but the runtime needs one: a temp file, argv[0] "-c".
    const entry = `/tmp/python-c-${nextCode++}.py`;
    m.fs.writeFile(entry, enc.encode(args[i + 1] + "\n"));
    return { kind: "run", entry, argv: args.slice(i + 2), argv0: "-c" };
  }
  if (first.startsWith("-")) return { kind: "print", text: `${name}: option ${first} is not available here\n`, status: 2 };
  const entry = abs(first);
  const kind = m.fs.exists(entry);
  if (kind !== "file") {
    const errno = kind === "dir" ? Errno.EISDIR : Errno.ENOENT;
    return { kind: "print", text: `${name}: can't open file '${entry}': [Errno ${errno}] ${strerror(errno)}\n`, status: 2 };
  }
  return { kind: "run", entry, argv: args.slice(i + 1) };
}
