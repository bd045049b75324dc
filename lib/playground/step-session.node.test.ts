import { afterAll, describe, expect, it } from "vitest";
import { createNodeMachine } from "@/lib/runtime/node";
import { startControlled } from "@/lib/runtime/controlled";
import { StepSession, type StepSnapshot } from "./step-session";

// Two children that print twice each: the order of their lines is the reader's choice.
const PROGRAM = `import multiprocessing as mp

def work(name):
    print(f"{name} one", flush=True)
    print(f"{name} two", flush=True)

if __name__ == "__main__":
    ps = [mp.Process(target=work, args=(n,)) for n in ("a", "b")]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("done", flush=True)
`;

describe("StepSession on a real controlled run (Node host)", () => {
  const machine = createNodeMachine();
  afterAll(() => machine.dispose());

  const until = (s: StepSession, ok: (x: StepSnapshot) => boolean) =>
    new Promise<StepSnapshot>((resolve) => {
      const check = () => ok(s.snapshot()) && (off(), resolve(s.snapshot()));
      const off = s.subscribe(check);
      check();
    });

  it("should print in the order the reader chooses, and back replays exactly", async () => {
    const session = new StepSession((policy, options) => startControlled(machine, { files: { "main.py": PROGRAM }, entry: "main.py" }, policy, options));
    const offs = [
      machine.onOutput((c) => session.appendOutput({ pid: c.pid, fd: c.fd === 2 ? 2 : 1, text: new TextDecoder().decode(c.data) })),
      machine.onEvent((e) => e.type === "spawn" && session.noteProcess(e.pid, e.name, e.ppid)),
    ];
    const text = () => session.snapshot().output.map((c) => c.text).join("");
    session.start();
    // Follow the default until both children sit at their first write.
    let snap = await until(session, (x) => x.phase === "choosing");
    while (snap.choice!.enabled.filter((o) => o.op === "write").length < 2) {
      session.pick(snap.choice!.enabled.find((o) => o.op !== "write")!.proc);
      snap = await until(session, (x) => x.phase === "choosing");
    }
    const b = snap.choice!.enabled.find((o) => o.proc === 2)!;
    expect(b.where).toEqual({ file: "/home/user/main.py", line: 4 });
    expect(snap.lanes.find((l) => l.proc === 2)?.state).toBe("ready");
    expect(snap.names.get(b.pid)?.name).toBe("Process-2");
    const atChoice = snap.steps.length;

    session.pick(2);
    snap = await until(session, (x) => x.phase === "choosing");
    session.pick(1);
    snap = await until(session, (x) => x.phase === "choosing");
    expect(text()).toBe("b one\na one\n");

    session.back();
    snap = await until(session, (x) => x.phase === "choosing");
    expect(snap.steps.length).toBe(atChoice + 1);
    expect(text()).toBe("b one\n");

    session.finishRandom(3);
    snap = await until(session, (x) => x.phase === "finished");
    expect(text().startsWith("b one\n")).toBe(true);
    expect(text().endsWith("done\n")).toBe(true);
    expect(snap.record?.failure).toBeNull();
    offs.forEach((off) => off());
  }, 180_000);
});
