import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { CTL } from "../protocol";
import { interruptBuffer } from "./waits";

/** Pyodide's own check of its interrupt buffer (what CPython calls between bytecodes), from the pinned pyodide.asm.mjs. */
function pyodideCheck(): (module: { Py_EmscriptenSignalBuffer: unknown }) => number {
  const asm = fs.readFileSync(createRequire(import.meta.url).resolve("pyodide/pyodide.asm.mjs"), "utf8");
  const body = /function _Py_CheckEmscriptenSignals_Helper\(\)\{([^]*?)\}_Py_CheckEmscriptenSignals_Helper\.sig/.exec(asm)?.[1];
  if (!body) throw new Error("pyodide.asm.mjs has no _Py_CheckEmscriptenSignals_Helper");
  return new Function("Module", body) as (module: { Py_EmscriptenSignalBuffer: unknown }) => number;
}

/** The buffer seen through a view that lets the host store `sig` right after Pyodide's first read. */
function hostStoresAfterFirstRead(buffer: { 0: number } | Int32Array, ctl: Int32Array, sig: number): object {
  let reads = 0;
  return new Proxy(buffer, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (key === "0" && reads++ === 0) Atomics.store(ctl, CTL.INTERRUPT, sig);
      return value;
    },
  });
}

describe("the interrupt buffer Pyodide checks between bytecodes", () => {
  const check = pyodideCheck();

  it("should hand Pyodide a waiting signal once and leave the word empty", () => {
    const ctl = new Int32Array(new SharedArrayBuffer(32));
    Atomics.store(ctl, CTL.INTERRUPT, 14);
    const buffer = interruptBuffer(ctl);
    expect(check({ Py_EmscriptenSignalBuffer: buffer })).toBe(14);
    expect(Atomics.load(ctl, CTL.INTERRUPT)).toBe(0);
    expect(check({ Py_EmscriptenSignalBuffer: buffer })).toBe(0);
  });

  it("should keep a signal the host stores between Pyodide's read and its write of 0 (a plain Int32Array loses it)", () => {
    const plain = new Int32Array(new SharedArrayBuffer(32));
    const word = new Int32Array(plain.buffer, CTL.INTERRUPT * 4, 1);
    expect(check({ Py_EmscriptenSignalBuffer: hostStoresAfterFirstRead(word, plain, 14) })).toBe(0);
    expect(Atomics.load(plain, CTL.INTERRUPT)).toBe(0); // lost: the premise of this test

    const ctl = new Int32Array(new SharedArrayBuffer(32));
    expect(check({ Py_EmscriptenSignalBuffer: hostStoresAfterFirstRead(interruptBuffer(ctl), ctl, 14) })).toBe(0);
    expect(Atomics.load(ctl, CTL.INTERRUPT)).toBe(14);
    expect(check({ Py_EmscriptenSignalBuffer: interruptBuffer(ctl) })).toBe(14);
  });
});
