/**
 * The one errno table per language (lib/kernel/errors.ts, _spawnpoint/linux_errno.py) holds
 * Linux's numbers and glibc's texts: checked against python3 on this Linux host, whose errno
 * module and os.strerror are glibc's.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Errno, strerror } from "@/lib/kernel";

const LINUX_ERRNO_PY = path.join(__dirname, "..", "..", "lib", "runtime", "python", "_spawnpoint", "linux_errno.py");

/** Runs `code` in python3 with linux_errno.py loaded as `le`; null when python3 is missing. */
function python(code: string): string | null {
  const prelude = `import errno, os, json, importlib.util\nspec = importlib.util.spec_from_file_location("le", ${JSON.stringify(LINUX_ERRNO_PY)})\nle = importlib.util.module_from_spec(spec); spec.loader.exec_module(le)\n`;
  const r = spawnSync("python3", ["-c", prelude + code], { encoding: "utf8", timeout: 60_000 });
  if (r.error) return null;
  expect(r.stderr).toBe("");
  return r.stdout;
}

describe("errno tables", () => {
  it("should give the kernel's errors Linux's numbers and glibc's texts", () => {
    const out = python(`print(json.dumps({n: [getattr(errno, n, None), os.strerror(getattr(errno, n))] for n in ${JSON.stringify(Object.keys(Errno))}}))`);
    if (out === null) return;
    const linux = JSON.parse(out) as Record<string, [number, string]>;
    for (const [name, no] of Object.entries(Errno)) {
      expect([name, no, strerror(no)]).toEqual([name, ...linux[name]]);
    }
  });

  it("should give the Python runtime every errno name and number of CPython on Linux, and CPython's OSError subclass per number", () => {
    const out = python(
      `names = {n: getattr(errno, n) for n in dir(errno) if n.startswith("E")}\n` +
        `print(json.dumps({"missing": sorted(set(names) - set(le.LINUX)), "wrong": sorted(n for n, v in le.LINUX.items() if names.get(n) != v),` +
        ` "classes": sorted(n for n in set(names.values()) if le.CLASS.get(n, OSError) is not type(OSError(n, "x")))}))`,
    );
    if (out === null) return;
    expect(JSON.parse(out)).toEqual({ missing: [], wrong: [], classes: [] });
  });
});
