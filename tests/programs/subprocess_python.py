"""subprocess of sys.executable: -c, -m, a script, stdin; PIPE, DEVNULL, STDOUT; communicate
(input, timeout), wait, poll, kill, run/check_output/check_call/call and their errors."""
import os
import shutil
import subprocess
import sys

PY = sys.executable


def shown(e):
    """An error's text without the interpreter's path (which differs between runtimes)."""
    return str(e).replace(repr(PY), "PY")

# Popen with pipes and communicate: its own pid and argv, stdout and stderr apart.
code = "import os, sys; print('argv', sys.argv[0], sys.argv[2:]); print('child != parent', os.getpid() != int(sys.argv[1])); print('ppid ok', os.getppid() == int(sys.argv[1])); sys.stderr.write('to stderr\\n'); sys.exit(3)"
with subprocess.Popen([PY, "-E", "-c", code, str(os.getpid()), "x y"], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
    out, err = p.communicate()
    print("pid is int:", isinstance(p.pid, int) and p.pid != os.getpid())
print("out:", out)
print("err:", err)
print("returncode:", p.returncode)

# stdin: input through communicate, text mode.
p = subprocess.Popen([PY, "-c", "import sys; data = sys.stdin.read(); print(len(data), data.upper(), end='')"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
print("text:", repr(p.communicate("hello\nworld\n")[0]))

# stderr=STDOUT, and a traceback in the child.
r = subprocess.run([PY, "-c", "print('before'); 1/0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
print("merged code:", r.returncode)
print("merged last line:", r.stdout.splitlines()[0], "|", r.stdout.splitlines()[-1])

# DEVNULL.
r = subprocess.run([PY, "-c", "print('lost'); import sys; print(sys.stdin.read() == '')"], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
print("devnull:", r.returncode, r.stdout)

# check_output, check_call, call, CalledProcessError.
print("check_output:", subprocess.check_output([PY, "-c", "print(6 * 7)"]))
print("call:", subprocess.call([PY, "-c", "raise SystemExit(5)"]))
try:
    subprocess.check_call([PY, "-c", "import sys; sys.exit(4)"])
except subprocess.CalledProcessError as e:
    print("CalledProcessError:", shown(e))
try:
    subprocess.run([PY, "-c", "print('partial'); import sys; sys.exit(2)"], capture_output=True, check=True)
except subprocess.CalledProcessError as e:
    print("check=True:", e.returncode, e.output, e.stderr)

# A script with arguments, and -m.
os.makedirs("subproc_work", exist_ok=True)
with open("subproc_work/script.py", "w") as f:
    f.write("import sys\nprint('script argv', sys.argv, __name__)\n")
with open("subproc_work/modtool.py", "w") as f:
    f.write("import sys\nprint('module argv', [a if i else a.rsplit('/', 1)[-1] for i, a in enumerate(sys.argv)], __name__)\n")
print(subprocess.run([PY, "subproc_work/script.py", "a", "b"], capture_output=True, text=True).stdout, end="")
print(subprocess.run([PY, "-m", "modtool", "c"], capture_output=True, text=True, cwd="subproc_work").stdout, end="")
# The program from stdin.
print(subprocess.run([PY], input=b"import sys\nprint('from stdin', sys.argv)\n", capture_output=True).stdout)

# Timeouts: communicate and run, then kill; wait(timeout); poll.
p = subprocess.Popen([PY, "-c", "import time; print('started', flush=True); time.sleep(30)"], stdout=subprocess.PIPE)
try:
    p.communicate(timeout=0.5)
except subprocess.TimeoutExpired as e:
    print("TimeoutExpired:", shown(e), e.output)
print("poll while running:", p.poll())
try:
    p.wait(timeout=0.1)
except subprocess.TimeoutExpired as e:
    print("wait:", shown(e))
p.kill()
print("after kill:", p.wait(), p.communicate())
try:
    subprocess.run([PY, "-c", "import time; time.sleep(30)"], timeout=0.5)
except subprocess.TimeoutExpired as e:
    print("run timeout:", type(e).__name__, e.cmd[1:])
p = subprocess.Popen([PY, "-c", "import time; time.sleep(30)"])
p.terminate()
print("terminate:", p.wait())

# Reading stdout as a file, line by line.
p = subprocess.Popen([PY, "-c", "for i in range(3): print('line', i)"], stdout=subprocess.PIPE, text=True)
print("lines:", [line.rstrip() for line in p.stdout])
print("wait:", p.wait())

# Bad option, a missing script, a program that is not Python.
r = subprocess.run([PY, "-Z"], capture_output=True, text=True)
print("bad option:", r.returncode, r.stderr.splitlines()[0])
r = subprocess.run([PY, "no_such_script.py"], capture_output=True, text=True)
print("missing script:", r.returncode, r.stderr[r.stderr.index("can't"):].replace(os.getcwd() + "/", ""), end="")
try:
    subprocess.run(["no-such-program-here", "x"])
except FileNotFoundError as e:
    print("other program:", type(e).__name__, e.errno, e.filename)
shutil.rmtree("subproc_work")
# sys.path[0]: '' for -c, nothing with -I.
show = "import sys; print(repr(sys.path[0]) if sys.path[0] in ('', '.') else 'no cwd first')"
print("path -c:", subprocess.check_output([PY, "-c", show], text=True), end="")
print("path -I -c:", subprocess.check_output([PY, "-I", "-c", show], text=True), end="")
