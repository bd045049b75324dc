/**
 * Integration: real Python programs (tests/programs/) on the Node host, checked for
 * stdout, stderr and exit code, and compared with python3 (spawn start method) where the
 * output is deterministic. One Machine is shared by the whole file to keep it fast (which
 * is also why the file is long: splitting it would boot one more Machine per file).
 */
import { describe, expect, it } from "vitest";
import { INIT_PID } from "@/lib/kernel";
import { createNodeMachine } from "./node";
import { programFiles, runCPython as cpython, runOurs, sharedMachine, type OursOptions } from "./testing/programs";

const decoder = new TextDecoder();
const machine = sharedMachine();
/** Every program runs with all of tests/programs as its project folder (some read data files). */
const run = (entry: string, options: OursOptions = {}) => runOurs(machine(), entry, { files: programFiles(), ...options });

describe("Machine (Node host)", () => {
  describe("CPython parity", () => {
    it.each(["process_basics.py", "exit_codes.py", "mp_main.py", "no_main_guard.py", "lambda_target.py", "daemons.py", "shared_values.py", "shared_char_array.py", "pipes.py", "listener_client.py", "shared_memory.py", "unix_sockets.py", "manager_address.py", "queue_feeder_error.py", "manager_reprs.py", "manager_pool_errors.py", "manager_iterators.py", "unclosed_files.py", "heap_buffers.py", "shared_structs.py", "shared_reprs.py", "native_id_abstract.py", "futures_states.py", "shared_truncate.py", "os_system.py", "os_waitpid.py", "manager_array_value.py", "raise_signal.py", "pickled_os_functions.py", "pool_dead_worker.py", "asyncio_run.py", "sched_affinity.py", "shared_dirs_removed.py", "socket_fds.py", "select_files_pipes.py", "pool_unpicklable.py", "manager_blocking_calls.py", "sync_manager_subclass.py", "sleep_args_pipe_type.py", "select_pipe_connections.py", "os_pipe_eof.py", "select_pipe_eof.py", "signals_standard.py", "pipe_misuse.py", "shared_ctypes_misuse.py", "join_alarm.py", "manager_proxy_compare.py", "manager_sync_proxies.py", "semaphore_args.py", "shared_memory_close_exports.py", "signal_mask.py", "executor_checks.py", "files_shared_writes.py", "rename_dir_between.py", "pool_workers_up.py", "file_locks.py", "sibling_sleepers.py", "socket_tracebacks.py", "files_open_unlinked.py", "umask_modes.py", "python_executable.py", "select_epoll.py", "socket_constants.py", "environ_putenv.py", "socket_sendfile.py", "subprocess_timeouts.py", "pool_remote_tracebacks.py", "main_builtins.py", "timed_waits_prompt.py", "shared_raw_inheritance.py", "manager_remote_tracebacks.py"])(
      "should print what python3 prints for %s",
      async (entry) => {
        const ours = await run(entry);
        const theirs = cpython(entry);
        expect(ours.code).toBe(0);
        if (theirs) {
          expect(ours.stdout).toBe(theirs.stdout);
          expect(ours.code).toBe(theirs.code);
        }
      },
    );
  });

  it("should read the terminal's input as asked: a line, n characters, the rest, and as bytes through sys.stdin.buffer", async () => {
    const src = "import sys\nprint(repr(sys.stdin.readline()), repr(sys.stdin.read(3)), repr(sys.stdin.readline()))\nprint(repr(sys.stdin.buffer.readline()), repr(sys.stdin.buffer.read(4)), sys.stdin.name, sys.stdin.buffer.name)\nprint(repr(sys.stdin.read()))\n";
    const r = await runOurs(machine(), "stdin.py", { files: { "stdin.py": src }, stdin: "l1\nl2abc\nl3 é\nxyz\nrest" });
    expect(r.stdout).toBe("'l1\\n' 'l2a' 'bc\\n'\nb'l3 \\xc3\\xa9\\n' b'xyz\\n' <stdin> <stdin>\n'rest'\n");
  });

  it("should give the main process the terminal as its stdin (isatty, as stdout) and a child os.devnull, as python3 in a terminal", async () => {
    const src = 'import sys, multiprocessing as mp\ndef f():\n    print("child", sys.stdin.isatty())\nif __name__ == "__main__":\n    print(sys.stdin.isatty(), sys.stdout.isatty())\n    p = mp.Process(target=f)\n    p.start()\n    p.join()\n';
    const r = await runOurs(machine(), "tty.py", { files: { "tty.py": src } });
    expect(r.stdout).toBe("True True\nchild False\n");
  });

  it("should name the queue classes as CPython does (their reprs and a closed queue's error show it)", async () => {
    const src = 'import multiprocessing as mp\nif __name__ == "__main__":\n    print([type(q).__module__ + "." + type(q).__name__ for q in (mp.Queue(), mp.SimpleQueue(), mp.JoinableQueue())])\n    q = mp.Queue()\n    q.close()\n    try:\n        q.put(1)\n    except ValueError as e:\n        print(str(e).split(" object at ")[0])\n';
    const r = await runOurs(machine(), "names.py", { files: { "names.py": src } });
    expect(r.stdout).toBe("['multiprocessing.queues.Queue', 'multiprocessing.queues.SimpleQueue', 'multiprocessing.queues.JoinableQueue']\nQueue <multiprocessing.queues.Queue\n");
  });

  it("should make a program one process group, which kill(0) and killpg reach whole (python3's output when it leads a group, as `setsid python3`)", async () => {
    // Not compared with python3 here: it would share the test runner's group, which kill(0) would signal.
    const r = await run("process_groups.py");
    expect(r.stdout).toBe(
      [
        "leader: True",
        "child in the group: True",
        "child's group: True",
        "main got 10",
        "child after kill(0, SIGUSR1): -10",
        "child in the group: True",
        "main got 15",
        "child after killpg(SIGTERM): -15",
        "killpg OSError [Errno 22] Invalid argument",
        "kill ProcessLookupError [Errno 3] No such process",
        "getpgid ProcessLookupError [Errno 3] No such process",
        "killpg TypeError killpg() takes exactly 2 arguments (1 given)",
        "getpgrp TypeError posix.getpgrp() takes no arguments (1 given)",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  describe("a process's end", () => {
    it("should write out the main process's unfinished stdout line before its uncaught exception or exit message, as CPython's top level does", async () => {
      for (const [end, says] of [["raise ValueError('boom')", "Traceback"], ["import sys; sys.exit('bad config')", "bad config"]]) {
        const chunks: string[] = [];
        const off = machine().onOutput((c) => chunks.push(`${c.fd}:${decoder.decode(c.data)}`));
        try {
          const r = await runOurs(machine(), "unflushed.py", { files: { "unflushed.py": `print("tail", end="")\n${end}\n` } });
          expect(r.code).toBe(1);
        } finally {
          off();
        }
        const tail = chunks.findIndex((c) => c === "1:tail");
        const message = chunks.findIndex((c) => c.startsWith(`2:${says}`));
        expect(tail, chunks.join(" | ")).toBeGreaterThanOrEqual(0);
        expect(tail, chunks.join(" | ")).toBeLessThan(message);
      }
    });

    it("should run atexit callbacks around multiprocessing's exit handler, then destroy the script's globals, in the main process and in children, as python3 does", async () => {
      const ours = await run("atexit_handlers.py");
      const theirs = cpython("atexit_handlers.py");
      expect(ours.code).toBe(3);
      expect(ours.stdout).toContain("atexit main, after the first start\natexit top of __main__\ndel private __main__\ndel public __main__\n");
      // A failing callback is reported and the others still run (3.14's wording: "callback <f>:").
      expect(ours.stderr.match(/Exception ignored in atexit callback:? <function broken at 0x[0-9a-f]+>:?\nTraceback[^]*?ValueError: callback failed\n/g)).toHaveLength(2);
      if (theirs) {
        expect(ours.stdout).toBe(theirs.stdout);
        expect(ours.code).toBe(theirs.code);
      }
    });
  });

  describe("subprocess of sys.executable", () => {
    it("should run -c, -m, a script and stdin with pipes, communicate, timeouts and run's errors as python3 does", async () => {
      const ours = await run("subprocess_python.py");
      expect(ours.stderr).toBe("");
      expect(ours.code).toBe(0);
      expect(ours.stdout).toContain("err: b'to stderr\\n'\nreturncode: 3\n");
      expect(ours.stdout).toContain("text: '12 HELLO\\nWORLD\\n'\n");
      expect(ours.stdout).toContain("after kill: -9 (b'started\\n', None)\n");
      expect(ours.stdout).toContain("other program: FileNotFoundError 2 no-such-program-here\n");
      const theirs = cpython("subprocess_python.py");
      if (theirs) expect(ours.stdout).toBe(theirs.stdout);
    });

    it("should unlink a killed subprocess's leaked SharedMemory and warn on its stderr, and the program's own at its end", async () => {
      const ours = await run("shm_tracker.py");
      expect(ours.code).toBe(0);
      expect(ours.stdout).toContain("unlinked after the child was killed\nwarning on the child's stderr: True 1\n");
      // As Python's warnings print it: the stdlib tracker's file and line, the message with the names (3.13 on), the call's line.
      expect(ours.stderr).toMatch(
        /^\/lib\/python3\d+\.zip\/multiprocessing\/resource_tracker\.py:\d+: UserWarning: resource_tracker: There appear to be 1 leaked shared_memory objects to clean up at shutdown: \{'\/psm_[0-9a-f]+'\}\n {2}warnings\.warn\(\n$/,
      );
      const theirs = cpython("shm_tracker.py");
      if (theirs) expect(ours.stdout).toBe(theirs.stdout);
    });

    it("should start each child as a new process of the caller on the kernel (what ps shows)", async () => {
      const spawns: { pid: number; ppid: number }[] = [];
      const off = machine().onEvent((ev) => {
        if (ev.type === "spawn") spawns.push({ pid: ev.pid, ppid: ev.ppid });
      });
      let main = 0;
      try {
        const r = await runOurs(machine(), "sp_two.py", {
          files: { "sp_two.py": "import subprocess, sys\nfor _ in range(2): subprocess.run([sys.executable, '-c', 'pass'], check=True)\n" },
          onStart: (h) => (main = h.pid),
        });
        expect(r.stderr).toBe("");
      } finally {
        off();
      }
      const children = spawns.filter((s) => s.ppid === main);
      expect(children).toHaveLength(2);
      expect(new Set(children.map((c) => c.pid)).size).toBe(2);
    });
  });

  describe("processes", () => {
    it("should start, name, join and close processes like CPython", async () => {
      const r = await run("process_basics.py");
      expect(r.stdout).toContain("first: name=Process-1 parent_is_main=True parent=MainProcess shout=True");
      expect(r.stdout).toContain("run() in Greeter-3");
      expect(r.stdout).toContain("AssertionError: cannot start a process twice");
      expect(r.stdout).toContain("children left: []");
    });

    it("should report exit codes 0/N/1 and −15/−9, print the child's traceback, and run no finally on kill", async () => {
      const r = await run("exit_codes.py");
      expect(r.stdout).toContain("leave (3,) -> 3");
      expect(r.stdout).toContain("crash () -> 1");
      expect(r.stdout).toContain("still alive after join(timeout): True None");
      expect(r.stdout).toContain("terminated busy loop -> -15");
      expect(r.stdout).toContain("killed sleeper -> -9");
      expect(r.stdout).not.toContain("finally must not run");
      expect(r.stderr).toMatch(/^Process Process-4:\nTraceback \(most recent call last\):\n[\s\S]*ValueError: boom\n$/);
    });

    describe("what a spawned child inherits", () => {
      it.each(["inherit_environ.py", "inherit_cwd.py", "inherit_path_argv.py", "inherit_identity.py", "orphan_getppid.py"])(
        "should print what python3 prints for %s",
        async (entry) => {
          const ours = await run(entry);
          expect(ours.stderr).toBe("");
          expect(ours.code).toBe(0);
          const theirs = cpython(entry);
          if (theirs) expect(ours.stdout).toBe(theirs.stdout);
        },
      );

      it("should give the child os.environ as it was at start() and the directory the parent just made", async () => {
        const env = await run("inherit_environ.py");
        expect(env.stdout).toContain("child SPAWN_BEFORE = set before start\nchild SPAWN_AFTER = None\n");
        const cwd = await run("inherit_cwd.py");
        expect(cwd.stdout).toContain("child cwd: inherit_cwd_work/empty []\n");
        expect(cwd.stdout).toContain("child: FileExistsError 17 made_by_child/deeper\n");
        expect(cwd.stdout).toContain("cleaned up: True\n");
      });

      it("should make os.getppid() 1 once the child is orphaned", async () => {
        const r = await run("orphan_getppid.py");
        expect(r.stdout).toContain("grandchild's getppid() after the child exited 1\n");
      });
    });

    it("should re-run the main module as __mp_main__ in the child", async () => {
      const r = await run("mp_main.py");
      expect(r.stdout).toBe("module level runs in __main__\nmodule level runs in __mp_main__\ntarget runs\n");
    });

    it("should raise the bootstrapping RuntimeError in a child when the main guard is missing", async () => {
      const r = await run("no_main_guard.py");
      expect(r.stderr).toContain("RuntimeError: \n        An attempt has been made to start a new process before the\n        current process has finished its bootstrapping phase.");
      expect(r.stdout).toBe("parent sees exitcode 1\n");
      // Above the re-import, the frames CPython's spawned child shows: its -c command, spawn_main, _main.
      expect(r.stderr).toMatch(
        /^Traceback \(most recent call last\):\n {2}File "<string>", line 1, in <module>\n {4}from multiprocessing\.spawn import spawn_main; spawn_main\(tracker_fd=4, pipe_handle=6\)\n {50}~+\^+\n {2}File "[^"]*multiprocessing\/spawn\.py", line \d+, in spawn_main\n {4}exitcode = _main\(fd, parent_sentinel\)\n {2}File "[^"]*multiprocessing\/spawn\.py", line \d+, in _main\n {4}prepare\(preparation_data\)\n/,
      );
      // Below start(), CPython's frames too: context's two _Popen, the spawn Popen's __init__ and _launch.
      const frames = (stderr: string) => [...stderr.matchAll(/File "(?:[^"]*\/)?([^/"]*)", line \d+, in (.*)/g)].map((m) => `${m[1]} ${m[2]}`);
      expect(frames(r.stderr)).toContain("popen_spawn_posix.py _launch");
      const theirs = cpython("no_main_guard.py");
      if (theirs) expect(frames(r.stderr)).toEqual(frames(theirs.stderr));
    });

    it("should print a child's failure to unpickle its Process with the frames CPython's child shows", async () => {
      const r = await run("unpicklable_arg.py");
      expect(r.stdout).toBe("exitcode 1\n");
      expect(r.stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "<string>", line 1, in <module>\n[^]*in spawn_main\n[^]*in _main\n {4}self = reduction\.pickle\.load\(from_parent\)\nAttributeError: [^\n]*'Local'[^\n]*\n$/);
    });

    it("should accept 'spawn' and say clearly that 'fork' and 'forkserver' are not available", async () => {
      const r = await run("start_methods.py");
      const why =
        "is not available in Spawnpoint: a browser cannot fork a process (each Python process in Spawnpoint is its own " +
        "WebAssembly interpreter in a browser worker, and a worker's memory cannot be copied into another); use 'spawn', which every process here is started with\n";
      expect(r.stdout).toBe(`ValueError: start method 'fork' ${why}ValueError: start method 'forkserver' ${why}spawn ['spawn']\nspawn\n`);
    });

    it("should make os.fork() and Thread.start() fail saying why and what to use instead, and asyncio.run end cleanly after its executor's thread failed", async () => {
      const r = await run("fork_thread_errors.py");
      expect(r.code).toBe(0);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toMatch(/^os\.fork\(\) -> OSError: \[Errno 38\] os\.fork\(\) is not available in Spawnpoint: .*browser cannot copy a running worker; start a multiprocessing\.Process instead/);
      expect(lines[1]).toMatch(/^set_start_method\('fork'\) -> ValueError: start method 'fork' is not available in Spawnpoint: a browser cannot fork a process .*use 'spawn'/);
      expect(lines[2]).toMatch(/^get_context\('forkserver'\) -> ValueError: start method 'forkserver' is not available/);
      expect(lines[3]).toMatch(/^Thread\.start\(\) -> RuntimeError: can't start new thread: Spawnpoint's Python \(Pyodide\) has no threads, .*start a multiprocessing\.Process/);
      // CPython's own check still applies to a thread that never started.
      expect(lines.slice(4)).toEqual(["Thread.join() -> RuntimeError: cannot join thread before it is started", "start methods: ['spawn'] spawn", "spawn still works", "run_in_executor(None) -> RuntimeError: can't start new thread", "asyncio.run returned", ""]);
    });

    it("should fail to start a lambda target with a pickling error in the parent", async () => {
      const r = await run("lambda_target.py");
      expect(r.stdout).toBe("start failed: PicklingError\nchildren: []\n");
    });

    it("should forbid children of daemons, terminate daemons and join the others at exit", async () => {
      const r = await run("daemons.py");
      expect(r.stdout).toBe("AssertionError: daemonic processes are not allowed to have children\nmain body done\nnon-daemon child finished\n");
      expect(machine().processes().map((p) => p.pid)).toEqual([INIT_PID]);
    });

    it("should reap zombies through active_children and re-parent orphans to init", async () => {
      const r = await run("reaping.py");
      expect(r.stdout).toBe(
        "exitcode before reaping: None\nactive children: []\nexitcode after: 0\norphan maker exit: 0\nchild pid\n('orphan adopted by init', True, True)\n",
      );
    });
  });

  describe("synchronisation and IPC", () => {
    it("should share locks, semaphores, conditions and barriers between processes", async () => {
      const r = await run("locks.py");
      expect(r.stdout).toBe(
        [
          "counter: 600",
          "lock held by a terminated process: False",
          "released by another process: True",
          "rlock reentrant",
          "AssertionError: attempt to release recursive lock not owned by thread",
          "ValueError: semaphore or lock released too many times",
          "semaphore: True True False",
          "Semaphore(-1): OSError [Errno 22] Invalid argument",
          "condition met",
          "[('passed', 0, True), ('passed', 1, True), ('passed', 2, True)]",
          "",
        ].join("\n"),
      );
    });

    it("should pass queues and pipes with CPython's Full/Empty/EOF behaviour", async () => {
      const r = await run("queues_pipes.py");
      const theirs = cpython("queues_pipes.py");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("fifo: [0, 1, 2, 3, 4]");
      expect(r.stdout).toContain("ValueError: task_done() called too many times");
      expect(r.stdout).toContain("EOFError: every writer closed");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should make a process that put more than the pipe holds wait at exit until it is read (cancel_join_thread skips it)", async () => {
      const blocks: string[] = [];
      const off = machine().onEvent((ev) => {
        if (ev.type === "block" && ev.on === "queue") blocks.push(ev.object);
      });
      const r = await run("queue_feeder.py");
      off();
      expect(r.stdout).toBe(
        [
          "small items fit in the pipe: finished True 0",
          "got [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
          "200 KB not read: alive after join(timeout) True None",
          "drained 200 then joined: 0",
          "cancel_join_thread: finished True 0",
          "join_thread before close: AssertionError",
          "put after close: ValueError True",
          "",
        ].join("\n"),
      );
      expect(blocks.length).toBeGreaterThan(0);
      const theirs = cpython("queue_feeder.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should show output of all processes in the order the writes happened (200-round ping-pong alternates exactly)", async () => {
      const r = await run("output_order.py");
      const expected = Array.from({ length: 200 }, (_, i) => `ping ${i}\npong ${i}\n`).join("") + "done\n";
      expect(r.stdout).toBe(expected);
    });

    it("should pickle a manager's Event, Condition and Barrier anywhere, like its other proxies", async () => {
      const r = await run("manager_sync_anywhere.py");
      expect(r.stdout).toBe("child: event set? True\nparent: child exit 0\n");
      const theirs = cpython("manager_sync_anywhere.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should report a manager's errors as its server does, with nothing more on stderr, and fail a proxy after shutdown", async () => {
      const r = await run("manager_shutdown.py");
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("Lock RuntimeError release unlocked lock\n");
      expect(r.stdout).toContain("after shutdown: BrokenPipeError [Errno 32] Broken pipe\n");
      const theirs = cpython("manager_shutdown.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should feed a Pool's tasks without blocking the caller, terminate with thousands queued, and raise an imap iterable's error at its place", async () => {
      const r = await run("pool_backlog.py");
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("terminated within 60 s: True");
      expect(r.stdout).toContain("imap, raises at 3: [0, 1, 4], then SayWhen(said when at 3)");
      const theirs = cpython("pool_backlog.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should keep replacing a Pool's one-task workers after close() until the tasks are done", async () => {
      const r = await run("pool_lifetime_close.py");
      expect(r.stdout).toBe("[0, 1, 4, 9, 16, 25]\n");
      const theirs = cpython("pool_lifetime_close.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should warn of a Pool dropped while running, with multiprocessing.pool's own states", async () => {
      const r = await run("pool_resource_warning.py");
      expect(r.stdout).toBe("['unclosed running multiprocessing pool'] ['ResourceWarning']\nValueError: Number of processes must be at least 1\n");
      const theirs = cpython("pool_resource_warning.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should run Pool, ProcessPoolExecutor and Manager programs", async () => {
      const r = await run("pools.py");
      expect(r.stdout).toBe(
        [
          "[0, 1, 4, 9, 16, 25, 36, 49]",
          "[8, 9]",
          "49 64",
          "[0, 1, 4, 9] [0, 1, 4, 9]",
          "KeyError from worker: 'k'",
          "[0, 1, 4, 9] [1, 4, 9]",
          "[(0, 0), (1, 10), (2, 20)] [0, 1, 2] 3",
          "",
        ].join("\n"),
      );
      expect(machine().processes().map((p) => p.pid)).toEqual([INIT_PID]);
    });
  });

  describe("terminal and files", () => {
    it("should feed input() from stdin, give children EOF, and raise EOFError at the end", async () => {
      const r = await run("stdin_echo.py", { stdin: "Ada\n" });
      expect(r.stdout).toBe("name? hello Ada\nchild stdin is closed (EOFError)\nEOFError at end of input\n");
    });

    it("should share files between processes and raise CPython's FileNotFoundError", async () => {
      const r = await run("shared_files.py");
      expect(r.stdout).toBe("data.txt: from the project folder\nout.txt: written by the child\n['data.txt', 'out.txt']\n");
      expect(r.stderr).toContain("FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'");
      expect(r.code).toBe(1);
    });

    it("should show what another process wrote, renamed or deleted in listdir, exists and stat", async () => {
      const r = await run("shared_listing.py");
      expect(r.stdout).toBe(
        [
          "before: [] [] False",
          "after the child wrote: ['made_by_child.txt'] [21] True",
          "getsize: 21 isfile: True",
          "the child sees: ['made_by_child.txt', 'made_by_parent.txt'] [21, 7] True",
          "after the child renamed: ['made_by_child.txt', 'made_renamed.txt'] [21, 7] True",
          "after the child deleted: ['made_renamed.txt'] [7] False",
          "the child after the parent deleted: [] [] False",
          "",
        ].join("\n"),
      );
      const theirs = cpython("shared_listing.py");
      if (theirs) expect(r.stdout).toBe(theirs.stdout);
    });

    it("should move replies bigger than a control block: a 5 MB file another process wrote, a 3 MB queue item and pipe message", async () => {
      const r = await run("big_replies.py");
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("file 5000000 True\nsize 5000000\nqueue 3000000 True\npipe 3000000 True\nexitcodes 0 0\n");
      expect(r.code).toBe(0);
    });

    it("should give a process that writes to the shared stdlib zip its own copy, leaving every other process's intact", async () => {
      const r = await run("stdlib_copy_on_write.py");
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("parent's copy changed: True True\nchild imported colorsys: (0.0, 1.0, 1.0)\nexitcode 0\n");
    });

    it("should report a syntax error like CPython with exit code 1", async () => {
      const r = await run("syntax_error.py");
      expect(r.stderr).toBe('  File "/home/user/syntax_error.py", line 2\n    def broken(:\n               ^\nSyntaxError: invalid syntax\n');
      expect(r.code).toBe(1);
    });
  });

  describe("control", () => {
    it("should turn Ctrl-C into KeyboardInterrupt in a sleeping program", async () => {
      const r = await run("interrupt.py", {
        onStdout: (out) => {
          if (out.includes("sleeping")) machine().interrupt();
        },
      });
      expect(r.stderr).toContain("KeyboardInterrupt");
      expect(r.code).toBe(-2);
    });

    it("should defer a Ctrl-C that arrives while the worker boots to the program's own code", async () => {
      let stderr = "";
      const off = machine().onOutput((c) => {
        if (c.fd === 2) stderr += decoder.decode(c.data);
      });
      try {
        const handle = machine().run({ files: programFiles(), entry: "interrupt_at_start.py" });
        machine().interrupt(); // the process is still "starting": no worker attached yet
        expect(await handle.exit).toBe(-2);
      } finally {
        off();
      }
      expect(stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "\/home\/user\/interrupt_at_start.py", line \d+, in <module>\n[\s\S]*KeyboardInterrupt\n$/);
      expect(stderr).not.toMatch(/_spawnpoint|relpath|runpy/);
    });

    it("should raise KeyboardInterrupt in a child's target when SIGINT reaches it while it boots", async () => {
      const r = await run("interrupt_child_boot.py");
      expect(r.stdout).toBe("child interrupted while booting: exitcode 1\n");
      expect(r.stderr).toMatch(/^Process Process-1:\nTraceback \(most recent call last\):\n[\s\S]*in nap\n[\s\S]*KeyboardInterrupt\n$/);
      expect(r.stderr).not.toMatch(/_spawnpoint|runpy|pkgutil/);
    });

    it("should cap processes with EAGAIN, then stop everything leaving no zombie, orphan or busy worker", async () => {
      const small = createNodeMachine({ poolSize: 1, maxProcesses: 3 });
      try {
        let stdout = "";
        const capped = new Promise<void>((resolve) =>
          small.onOutput((c) => {
            if (c.fd === 1) stdout += decoder.decode(c.data);
            if (stdout.includes("after")) resolve();
          }),
        );
        const handle = small.run({ files: programFiles(), entry: "process_cap.py" });
        await capped;
        expect(stdout).toBe("after 2 children: BlockingIOError [Errno 11] Resource temporarily unavailable\n");
        small.stopAll();
        expect(await handle.exit).toBe(-9);
        expect(small.processes().map((p) => p.pid)).toEqual([INIT_PID]);
        expect(small.liveWorkers).toBeLessThanOrEqual(small.poolSize);
      } finally {
        small.dispose();
      }
    });
  });
});
