# subprocess's TimeoutExpired as python3 raises it: communicate's last wait says the time left and
# no output, a timeout while reading the pipes says the timeout given and what was read (None: nothing).
import subprocess, sys
for kw in ({}, {"capture_output": True}):
    try:
        subprocess.run([sys.executable, "-c", "import time; time.sleep(3)"], timeout=0.3, **kw)
    except subprocess.TimeoutExpired as e:
        print(kw, 0.25 < e.timeout <= 0.3, e.timeout == 0.3, e.output, e.stderr)
p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"])
try:
    p.communicate(timeout=0.2)
except subprocess.TimeoutExpired as e:
    print("communicate", 0.15 < e.timeout <= 0.2, e.timeout == 0.2, e.output)
try:
    p.wait(timeout=0.1)
except subprocess.TimeoutExpired as e:
    print("wait", e.timeout, e.output)
p.kill(); p.wait()
p = subprocess.Popen([sys.executable, "-c", "import sys, time; print('partial', flush=True); time.sleep(3)"], stdout=subprocess.PIPE)
try:
    p.communicate(timeout=0.5)
except subprocess.TimeoutExpired as e:
    print("with a pipe", e.timeout, e.output)
p.kill(); print(p.communicate())
