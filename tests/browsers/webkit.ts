/**
 * WebKitGTK through its classic WebDriver: Debian's `WebKitWebDriver` starts MiniBrowser,
 * which has no headless mode, so the driver runs under `xvfb-run`. A few HTTP calls
 * (W3C WebDriver) are all the tests need, so there is no client library.
 *
 * `sharedArrayBuffer: true` starts the driver with `JSC_useSharedArrayBuffer=1`, which makes
 * WebKitGTK expose SharedArrayBuffer the way Safari does on Apple platforms; without it the
 * constructor is missing even when the page is cross-origin isolated.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { ERROR_HOOK, PAGE_HELPERS, type Tab } from "./tab";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const KEYS: Record<string, string> = { Enter: "\uE007", Backspace: "\uE003", Delete: "\uE017", Control: "\uE009" };

export interface WebKitOptions {
  sharedArrayBuffer: boolean;
  port: number;
  driverPath?: string;
}

async function startDriver({ sharedArrayBuffer, port, driverPath = "/usr/bin/WebKitWebDriver" }: WebKitOptions): Promise<ChildProcess> {
  const env = { ...process.env };
  if (sharedArrayBuffer) env.JSC_useSharedArrayBuffer = "1";
  else delete env.JSC_useSharedArrayBuffer;
  // Its own process group, so stopping it also stops Xvfb and MiniBrowser.
  const child = spawn("xvfb-run", ["-a", "-s", "-screen 0 1280x1024x24", driverPath, `--port=${port}`], { env, detached: true, stdio: "ignore" });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("WebKitWebDriver did not start within 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function openWebKit(options: WebKitOptions): Promise<Tab> {
  const driver = await startDriver(options);
  const base = `http://127.0.0.1:${options.port}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as { value: T & { error?: string; message?: string } };
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error} ${json.value?.message ?? ""}`);
    return json.value;
  };
  let session: string;
  try {
    const created = await call<{ sessionId: string }>("POST", "/session", {
      capabilities: { alwaysMatch: { browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
    });
    session = created.sessionId;
    await call("POST", `/session/${session}/timeouts`, { script: 120_000, pageLoad: 120_000 });
    await call("POST", `/session/${session}/window/rect`, { width: 1280, height: 900 }).catch(() => undefined);
  } catch (error) {
    process.kill(-driver.pid!, "SIGTERM");
    throw error;
  }
  const s = `/session/${session}`;

  // Classic WebDriver has no "before any script" hook: install it as soon as the load ends.
  const seen: string[] = [];
  const harvest = async () => {
    seen.push(...(await call<string[] | null>("POST", `${s}/execute/sync`, { script: "return window.__spErrors ? window.__spErrors.splice(0) : [];", args: [] }).catch(() => null) ?? []));
  };
  const run = async <T>(body: string): Promise<T> => {
    const script = `const done = arguments[arguments.length - 1];
      (async () => { ${PAGE_HELPERS}\n${body}\n})().then((value) => done({ value }), (e) => done({ error: String(e && e.stack || e) }));`;
    const out = await call<{ value?: T; error?: string }>("POST", `${s}/execute/async`, { script, args: [] });
    if (out.error) throw new Error(out.error);
    return out.value as T;
  };
  const actions = (list: unknown[]) => call("POST", `${s}/actions`, { actions: list });
  const keys = (sequence: { type: "keyDown" | "keyUp"; value: string }[]) => actions([{ type: "key", id: "keyboard", actions: sequence }]);

  return {
    async goto(url) {
      await harvest();
      await call("POST", `${s}/url`, { url });
      await call("POST", `${s}/execute/sync`, { script: ERROR_HOOK, args: [] });
    },
    eval: run,
    async click(body) {
      const el = await run<Record<string, string> | null>(`const el = await (async () => { ${body} })(); if (el) el.scrollIntoView({ block: "center" }); return el;`);
      if (!el?.[ELEMENT]) throw new Error(`no element for: ${body}`);
      await actions([
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", origin: el, x: 0, y: 0 },
            { type: "pointerDown", button: 0 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ]);
    },
    async clickAt(x, y) {
      await actions([
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", origin: "viewport", x: Math.round(x), y: Math.round(y) },
            { type: "pointerDown", button: 0 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ]);
    },
    async type(text) {
      await keys([...text].flatMap((c) => [{ type: "keyDown" as const, value: c }, { type: "keyUp" as const, value: c }]));
    },
    async press(key, withControl = false) {
      const k = KEYS[key] ?? key;
      const seq = [{ type: "keyDown" as const, value: k }, { type: "keyUp" as const, value: k }];
      await keys(withControl ? [{ type: "keyDown", value: KEYS.Control }, ...seq, { type: "keyUp", value: KEYS.Control }] : seq);
    },
    async errors() {
      await harvest();
      return [...seen];
    },
    async close() {
      await call("DELETE", s).catch(() => undefined);
      try {
        process.kill(-driver.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}
