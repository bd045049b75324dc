/**
 * Signals as Linux has them, end to end on the Node host: tests/programs/signal_*.py print
 * what python3 (spawn) prints and end with the same exit code (−N for death by signal N).
 */
import { describe, expect, it } from "vitest";
import { runCPython, runOurs, sharedMachine } from "./testing/programs";

const machine = sharedMachine();

describe("signals (Node host, compared with python3)", () => {
  it.each([
    ["signal_terminate.py", "terminate() runs a SIGTERM handler; its sys.exit(3) is the exit code and runs finally; no handler: −15, no finally", 0],
    ["signal_ignore.py", "SIG_IGN of SIGINT drops os.kill(pid, SIGINT); handlers are not inherited, SIG_IGN is", 0],
    ["signal_usr1.py", "SIGUSR1's handler runs inside sleep and a lock wait, which go on for the time left; no handler: −10", 0],
    ["signal_alarm.py", "alarm, setitimer/getitimer and pause; SIGALRM without a handler ends the process (−14)", -14],
    ["signal_rules.py", "SIGKILL/SIGSTOP cannot be caught, SIGCHLD ignored by default, sys.exit in a handler runs finally", 7],
    ["signal_stop.py", "a stopped child makes no progress until SIGCONT; SIGTERM waits for SIGCONT", 0],
  ] as const)("%s: %s", async (entry, _what, code) => {
    // A run that hangs is stopped before the test's own timeout, so the failure shows how far it got.
    let stuck = false;
    const guard = setTimeout(() => {
      stuck = true;
      machine().stopAll();
    }, 45_000);
    const r = await runOurs(machine(), entry).finally(() => clearTimeout(guard));
    expect(stuck, `still running after 45 s; its output so far:\n${r.stdout}${r.stderr}`).toBe(false);
    const theirs = runCPython(entry);
    expect(r.code, r.stderr).toBe(code);
    if (theirs) {
      expect(r.stdout).toBe(theirs.stdout);
      expect(r.code).toBe(theirs.code);
    }
  });
});
