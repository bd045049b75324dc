import type { BlockReason, Caption, CaptionKey, CaptionParams, ProcessStateName } from "./types";
import type { Locale } from "@/lib/content/locales";

/**
 * Caption templates. `{param}` is replaced from the caption's params; `{code}` is an exit
 * status, `{time}` the clock. Written to be read aloud by an instructor, not as log lines.
 */
const CAPTIONS: Record<Locale, Record<CaptionKey, string>> = {
  en: {
    start: "{name} (pid {pid}) starts. Its parent is init (pid 1), which waits for children forever.",
    spawn: "{name} starts a child, {child} (pid {pid}). The new process is still booting.",
    "spawn-daemon": "{name} starts a daemon child, {child} (pid {pid}).",
    admit: "{name} (pid {pid}) has booted and is ready to run.",
    dispatch: "The scheduler gives the CPU to {name} (pid {pid}).",
    switch: "{name} used up its time slice: the CPU switches to {next} (pid {nextPid}).",
    preempt: "{name} is preempted and goes back to the ready queue.",
    sleep: "{name} calls sleep({ticks}) and leaves the CPU.",
    wake: "{name} wakes up and is ready to run again.",
    "exit-zombie": "{name} exits with code {code}. It is a zombie until its parent, {parent}, reaps it.",
    "exit-zombie-parent-busy": "{name} exits with code {code}. {parent} is busy and has not called join(), so {name} stays a zombie: it keeps its pid and exit code.",
    "join-wake": "{name} exits with code {code}. {parent} was waiting in join() and wakes up to reap it.",
    "exit-handling-daemons": "{by} is exiting: multiprocessing terminates its daemon child {name} (SIGTERM, exit code {code}).",
    "exit-handling-join": "{name} is exiting, but first it waits for its non-daemon child {child} to finish.",
    "join-block": "{name} calls join() on {child}, which is still running: {name} blocks.",
    "join-reap": "{name}'s join() returns: it reaps {child} and reads its exit code {code}. The zombie is gone.",
    "reap-on-start": "Starting a process first reaps finished children: {name} reaps {child} (exit code {code}).",
    terminate: "{by} calls terminate() on {name}: SIGTERM ends it at once with exit code {code}. No cleanup runs.",
    kill: "{by} calls kill() on {name}: SIGKILL ends it at once with exit code {code}. No cleanup runs.",
    "killed-external": "{name} (pid {pid}) is killed from outside ({signal}, exit code {code}). It runs no exit handling.",
    orphaned: "{name} has lost its parent {parent}: it is an orphan, and init (pid 1) adopts it.",
    "zombie-adopted": "{name} is a zombie, and its parent {parent} has died: init (pid 1) adopts it.",
    "init-reaps": "init reaps {name} (exit code {code}).",
    "init-reaps-at-once": "init reaps the adopted zombie {name} at once (exit code {code}).",
    "daemon-no-children": "{name} is a daemon and tries to start {child}: AssertionError, daemonic processes are not allowed to have children. {name} ends with code 1.",
    "blocked-other": "{name} blocks on {what}.",
    "state-change": "{name} is now {state}.",
    booted: "{name} (pid {pid}) has booted and runs Python code.",
    unblocked: "{name} stops waiting on {what}.",
    signal: "{name} receives {signal}.",
    rename: "pid {pid} is now called {name}.",
    "replay-start": "Replay of your run: {name} (pid {pid}) starts. Processes really run in parallel here, so several can be running at once.",
    "replay-empty": "This run recorded no processes.",
    "step-start": "Step mode: you are the scheduler. One process runs at a time, up to its next operation another process could see.",
    "step-run": "{name} (pid {pid}) takes the step: {op} on {obj}.",
    "step-advance": "The clock advances to {time} ms: the earliest sleep or timeout ends.",
    "step-choose": "Your turn: {count} process(es) can move. Choose who goes next.",
    end: "Every process has ended and been reaped.",
  },
  zh: {
    start: "{name}（pid {pid}）启动了。它的父进程是 init（pid 1），init 会一直等待回收子进程。",
    spawn: "{name} 启动了子进程 {child}（pid {pid}），新进程还在启动中。",
    "spawn-daemon": "{name} 启动了守护子进程 {child}（pid {pid}）。",
    admit: "{name}（pid {pid}）启动完毕，进入就绪状态，等待 CPU。",
    dispatch: "调度器把 CPU 分给了 {name}（pid {pid}）。",
    switch: "{name} 的时间片用完了，CPU 切换给 {next}（pid {nextPid}）。",
    preempt: "{name} 被抢占，回到就绪队列。",
    sleep: "{name} 调用 sleep({ticks})，让出了 CPU。",
    wake: "{name} 睡醒了，重新进入就绪状态。",
    "exit-zombie": "{name} 以退出码 {code} 结束。在父进程 {parent} 回收它之前，它是一个僵尸进程。",
    "exit-zombie-parent-busy": "{name} 以退出码 {code} 结束。{parent} 正忙，还没有调用 join()，所以 {name} 成了僵尸进程：它仍占着 pid，保留着退出码。",
    "join-wake": "{name} 以退出码 {code} 结束。{parent} 正在 join() 中等它，于是被唤醒去回收它。",
    "exit-handling-daemons": "{by} 正在退出：multiprocessing 终止了它的守护子进程 {name}（SIGTERM，退出码 {code}）。",
    "exit-handling-join": "{name} 正在退出，但要先等非守护子进程 {child} 结束。",
    "join-block": "{name} 对 {child} 调用 join()，而 {child} 还在运行，于是 {name} 阻塞等待。",
    "join-reap": "{name} 的 join() 返回了：它回收了 {child}，拿到退出码 {code}，僵尸进程随之消失。",
    "reap-on-start": "启动新进程前会先回收已结束的子进程：{name} 回收了 {child}（退出码 {code}）。",
    terminate: "{by} 对 {name} 调用 terminate()：SIGTERM 立即结束了它，退出码 {code}，清理代码都不会执行。",
    kill: "{by} 对 {name} 调用 kill()：SIGKILL 立即结束了它，退出码 {code}，清理代码都不会执行。",
    "killed-external": "{name}（pid {pid}）被外部信号杀死（{signal}，退出码 {code}），退出处理完全没有执行。",
    orphaned: "{name} 的父进程 {parent} 死了，它成了孤儿进程，由 init（pid 1）收养。",
    "zombie-adopted": "{name} 是僵尸进程，而它的父进程 {parent} 已经死了：init（pid 1）收养了它。",
    "init-reaps": "init 回收了 {name}（退出码 {code}）。",
    "init-reaps-at-once": "init 立即回收了被收养的僵尸进程 {name}（退出码 {code}）。",
    "daemon-no-children": "{name} 是守护进程，却想启动 {child}：触发 AssertionError，守护进程不允许有子进程。{name} 以退出码 1 结束。",
    "blocked-other": "{name} 阻塞在 {what} 上。",
    "state-change": "{name} 现在处于{state}状态。",
    booted: "{name}（pid {pid}）启动完毕，开始执行 Python 代码。",
    unblocked: "{name} 不再等待 {what}。",
    signal: "{name} 收到了信号 {signal}。",
    rename: "pid {pid} 现在叫 {name}。",
    "replay-start": "回放你的运行：{name}（pid {pid}）启动了。这里的进程是真正并行运行的，所以可能同时有几个处于运行状态。",
    "replay-empty": "这次运行没有记录到任何进程。",
    "step-start": "单步模式：你就是调度器。每次只有一个进程运行，直到它的下一个能被其他进程观察到的操作。",
    "step-run": "{name}（pid {pid}）执行这一步：对 {obj} 执行 {op}。",
    "step-advance": "时钟前进到 {time} 毫秒：最早的 sleep 或超时结束。",
    "step-choose": "轮到你了：有 {count} 个进程可以运行。选择下一个运行的进程。",
    end: "所有进程都已结束并被回收。",
  },
};

const STATE_LABELS: Record<Locale, Record<ProcessStateName, string>> = {
  en: { new: "new", ready: "ready", running: "running", sleeping: "sleeping", blocked: "blocked", stopped: "stopped", zombie: "zombie", reaped: "reaped" },
  zh: { new: "新建", ready: "就绪", running: "运行", sleeping: "睡眠", blocked: "阻塞", stopped: "已停止", zombie: "僵尸", reaped: "已回收" },
};

/** One line per state for the legend: what it means, in the page's language. */
const STATE_HINTS: Record<Locale, Record<ProcessStateName, string>> = {
  en: {
    new: "starting up",
    ready: "waiting for the CPU",
    running: "on the CPU",
    sleeping: "in sleep()",
    blocked: "waiting (join, lock…)",
    stopped: "stopped by a signal (T) until SIGCONT",
    zombie: "ended, not yet reaped",
    reaped: "gone from the table",
  },
  zh: {
    new: "正在启动",
    ready: "等待 CPU",
    running: "正在 CPU 上执行",
    sleeping: "在 sleep() 中",
    blocked: "等待中（join、锁……）",
    stopped: "被信号停止（T），直到 SIGCONT",
    zombie: "已结束，尚未回收",
    reaped: "已从进程表移除",
  },
};

export function stateLabel(state: ProcessStateName, lang: Locale): string {
  return STATE_LABELS[lang][state];
}

export function stateHint(state: ProcessStateName, lang: Locale): string {
  return STATE_HINTS[lang][state];
}

/** "join(pid 101)", "sleep", "lock" — short text for what a blocked process waits on. */
export function blockReasonLabel(reason: BlockReason): string {
  switch (reason.type) {
    case "sleep":
      return "sleep()";
    case "join":
      return `join(pid ${reason.pid})`;
    case "wait-any":
      return "wait()";
    case "other":
      return reason.what;
  }
}

/** Fills a template; a missing param is left visible as `{name}` so tests can catch it. */
export function formatCaption(caption: Caption, lang: Locale): string {
  const params: CaptionParams = caption.key === "state-change" && typeof caption.params.state === "string" && isState(caption.params.state)
    ? { ...caption.params, state: stateLabel(caption.params.state, lang) }
    : caption.params;
  return CAPTIONS[lang][caption.key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

function isState(s: string): s is ProcessStateName {
  return s in STATE_LABELS.en;
}

/** Every caption key, for tests and tooling. */
export const CAPTION_KEYS = Object.keys(CAPTIONS.en) as CaptionKey[];

export function captionTemplate(key: CaptionKey, lang: Locale): string {
  return CAPTIONS[lang][key];
}
