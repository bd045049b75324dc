import { describe, expect, it, vi } from "vitest";
import { RuntimeLoader, type LoaderState } from "./loader";

/** The loader only boots, stops and frees a machine; its programs are the session's business. */
function fakeMachine() {
  const m = {
    disposed: false,
    stopped: 0,
    stopAll: () => void m.stopped++,
    dispose: () => void (m.disposed = true),
  };
  return m;
}

const okCaps = () => ({ ok: true, missing: [], mode: "shared" as const });

describe("RuntimeLoader", () => {
  describe("machine", () => {
    it("should go through downloading and booting to ready, reporting bytes", async () => {
      const m = fakeMachine();
      const loader = new RuntimeLoader({
        capabilities: okCaps,
        download: async (p) => { p(5, 10); p(10, 10); },
        boot: async () => m,
      });
      const states: LoaderState[] = [];
      loader.subscribe((s) => states.push(s));
      expect(await loader.machine()).toBe(m);
      expect(states.map((s) => s.phase)).toEqual(["idle", "downloading", "downloading", "downloading", "booting", "ready"]);
      expect(states[3]).toEqual({ phase: "downloading", loaded: 10, total: 10 });
    });

    it("should boot once for every caller (one runtime per page)", async () => {
      const boot = vi.fn(async () => fakeMachine());
      const loader = new RuntimeLoader({ capabilities: okCaps, download: async () => undefined, boot });
      const [a, b] = await Promise.all([loader.machine(), loader.machine()]);
      expect(a).toBe(b);
      expect(boot).toHaveBeenCalledTimes(1);
    });

    it("should report unsupported browsers without downloading", async () => {
      const download = vi.fn(async () => undefined);
      const loader = new RuntimeLoader({ capabilities: () => ({ ok: false, missing: ["shared-array-buffer"], mode: null }), download, boot: async () => fakeMachine() });
      await expect(loader.machine()).rejects.toThrow();
      expect(loader.state).toEqual({ phase: "unsupported", missing: ["shared-array-buffer"] });
      expect(download).not.toHaveBeenCalled();
    });

    it("should surface a failed download as an error and allow a retry", async () => {
      let fail = true;
      const loader = new RuntimeLoader({
        capabilities: okCaps,
        download: async () => { if (fail) throw new Error("HTTP 404"); },
        boot: async () => fakeMachine(),
      });
      await expect(loader.machine()).rejects.toThrow("HTTP 404");
      expect(loader.state).toEqual({ phase: "error", message: "HTTP 404" });
      fail = false;
      await loader.machine();
      expect(loader.state.phase).toBe("ready");
    });
  });

  describe("dispose", () => {
    it("should free a machine whose boot finishes after the download failed", async () => {
      const m = fakeMachine();
      let finishBoot: (x: ReturnType<typeof fakeMachine>) => void = () => {};
      const loader = new RuntimeLoader({
        capabilities: okCaps,
        download: async () => {
          throw new Error("offline");
        },
        boot: () => new Promise<ReturnType<typeof fakeMachine>>((r) => (finishBoot = r)),
      });
      await expect(loader.machine()).rejects.toThrow("offline");
      finishBoot(m);
      await new Promise((r) => setTimeout(r, 0));
      expect(m.disposed).toBe(true);
    });
  });

  describe("acquire", () => {
    it("should stop and dispose the machine when the last editor lets go", async () => {
      vi.useFakeTimers();
      const m = fakeMachine();
      const loader = new RuntimeLoader({ capabilities: okCaps, download: async () => undefined, boot: async () => m });
      const releaseA = loader.acquire();
      const releaseB = loader.acquire();
      await loader.machine();
      releaseA();
      await vi.advanceTimersByTimeAsync(100);
      expect(m.disposed).toBe(false);
      releaseB();
      await vi.advanceTimersByTimeAsync(100);
      expect(m.stopped).toBe(1);
      expect(m.disposed).toBe(true);
      expect(loader.state.phase).toBe("idle");
      vi.useRealTimers();
    });
  });
});
