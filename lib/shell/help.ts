/** What `help` prints. */
export const HELP = `Spawnpoint shell: every program runs on this page's simulated machine.

  python FILE [ARGS]     run a Python program (python3 works too)
  python -c CODE         run a line of Python
  COMMAND &              run in the background (a job)
  jobs                   list jobs (running in the background, or stopped)
  fg [%N]                bring a job to the foreground (continuing it if stopped)
  bg [%N]                let a stopped job go on in the background
  ps                     list processes: PID PPID STAT TIME CMD
                         (STAT: R running, S sleeping, D starting, T stopped, Z zombie)
  pstree                 show the process tree
  kill [-TERM|-INT|-KILL|-STOP|-CONT|-USR1|-HUP|…|-N] PID|%N
                         send a signal (default TERM); kill -l lists them
  ls, cat FILE, rm FILE, pwd
  echo TEXT [> FILE | >> FILE]
  history, clear, help

Keys: Ctrl-C interrupts the foreground program (KeyboardInterrupt), Ctrl-Z stops it
(then fg or bg), Ctrl-D ends its input (EOFError), Up/Down browse history, Ctrl-L clears
the screen.
`;
