/**
 * TerminalSink without a browser: when a write reaches xterm and the screen-reader log. The
 * test environment has no requestAnimationFrame, so a sink that waited for a frame would never
 * write here (in a page it wrote a frame before xterm painted: a frame late).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TerminalSink, type TerminalView } from "./sink";

describe("TerminalSink", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("should hand output to the view, the screen-reader log and the transcript on the next task", () => {
    const sink = new TerminalSink();
    const written: string[] = [];
    const view: TerminalView = { write: (d) => void written.push(d), reset: () => undefined };
    const log = { textContent: "" } as HTMLElement;
    sink.attach(view, log);
    sink.write("Hello from ");
    sink.write("Spawnpoint\r\n");
    expect(written).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(written).toEqual(["Hello from Spawnpoint\r\n"]);
    expect(log.textContent).toBe("Hello from Spawnpoint\n");
    expect(sink.text).toBe("Hello from Spawnpoint\n");
    sink.dispose();
  });
});
