import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID } from "./index";
import { TestHost } from "./test-host";

function setup() {
  const host = new TestHost();
  const parts = createKernel(host, { heapBytes: 1 << 16 });
  const spawn = (ppid = INIT_PID) => parts.kernel.spawn(ppid, "p", false, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: Record<string, unknown> = {}) => {
    parts.kernel.syscall(pid, name, args as never, null, true);
    return host.take(pid);
  };
  const warnings: [number, string][] = [];
  parts.trackers.terminalStderr = (pid, text) => warnings.push([pid, text]);
  return { ...parts, spawn, call, warnings };
}

const WARNING = "resource_tracker: There appear to be 1 leaked shared_memory objects to clean up at shutdown";

describe("ResourceTrackers (multiprocessing's resource tracker)", () => {
  it("should unlink a name still registered when the tree's last process ends, and warn once on the root's terminal", () => {
    const { kernel, spawn, call, shm, warnings } = setup();
    const root = spawn();
    const child = spawn(root);
    call(child, "shm_open", { name: "/leak", create: true, exclusive: true, size: 8 });
    call(child, "tracker_register", { root, name: "/leak", stderr: -1 });
    call(child, "shm_open", { name: "/tidy", create: true, exclusive: true, size: 8 });
    call(child, "tracker_register", { root, name: "/tidy", stderr: -1 });
    call(child, "shm_unlink", { name: "/tidy" });
    call(child, "tracker_unregister", { root, name: "/tidy" });
    kernel.exit(root, 0);
    expect(shm.names()).toEqual(["leak"]); // the child still runs
    kernel.exit(child, -15);
    expect(shm.names()).toEqual([]);
    expect(warnings).toEqual([[root, `UserWarning: ${WARNING}\n`]]);
  });

  it("should word the warning as Python's warnings show resource_tracker.py's, where the first registration says it is", () => {
    const { kernel, spawn, call, warnings } = setup();
    const root = spawn();
    const at = { where: "/lib/python3.zip/multiprocessing/resource_tracker.py:396", source: "warnings.warn(", names: true };
    call(root, "tracker_register", { root, name: "/a", stderr: -1, ...at });
    call(root, "tracker_register", { root, name: "/it's", stderr: -1 });
    kernel.exit(root, 0);
    expect(warnings).toEqual([[root, `${at.where}: UserWarning: resource_tracker: There appear to be 2 leaked shared_memory objects to clean up at shutdown: {'/a', "/it's"}\n  warnings.warn(\n`]]);
  });

  it("should write the warning to a pipe the tracker holds open until then (a subprocess's stderr)", () => {
    const { kernel, spawn, call, shm } = setup();
    const parent = spawn();
    const [r, w] = (call(parent, "pipe_create", { duplex: false }) as { value: number[] }).value;
    const child = spawn(parent);
    kernel.handles.attach(w, child);
    call(parent, "handle_close", { handle: w });
    call(child, "shm_open", { name: "/leak", create: true, exclusive: true, size: 8 });
    call(child, "tracker_register", { root: child, name: "/leak", stderr: w });
    kernel.exit(child, -15);
    expect(shm.names()).toEqual([]);
    const got = call(parent, "pipe_recv", { handle: r }) as { bytes: Uint8Array };
    expect(new TextDecoder().decode(got.bytes)).toContain(WARNING);
    expect(call(parent, "pipe_recv", { handle: r })).toMatchObject({ ok: false, error: { pyType: "EOFError" } });
  });

  it("should refuse a root of another program (EPERM) and a pipe the caller does not hold (EBADF)", () => {
    const { spawn, call } = setup();
    const a = spawn();
    const b = spawn();
    expect(call(b, "tracker_register", { root: a, name: "/x", stderr: -1 })).toMatchObject({ ok: false, error: { errno: 1 } });
    const [, w] = (call(a, "pipe_create", { duplex: false }) as { value: number[] }).value;
    expect(call(b, "tracker_register", { root: b, name: "/x", stderr: w })).toMatchObject({ ok: false, error: { errno: 9 } });
  });
});
