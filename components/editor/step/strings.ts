/** Step mode's UI strings, per lesson language (the editor's pattern: one object per locale). */
import type { LaneState } from "@/lib/playground/step-lanes";

export interface StepStrings {
  region: string;
  lanes: string;
  stepProcess: (name: string, pid: number) => string;
  state: Record<LaneState, string>;
  doing: (op: string, obj: string) => string;
  line: (file: string, line: number) => string;
  until: (ms: number) => string;
  exitCode: (code: number) => string;
  toShared: string;
  advance: (ms: number) => string;
  back: string;
  random: string;
  close: string;
  share: string;
  shareCopied: string;
  replayShared: (steps: number) => string;
  sharedNotice: (steps: number) => string;
  starting: string;
  yourTurn: (n: number) => string;
  running: string;
  finished: string;
  failed: (what: string) => string;
  clock: (ms: number) => string;
  stepsSoFar: (n: number) => string;
  output: string;
  noOutput: string;
  timeline: string;
  keys: string;
  find: string;
  stopSearch: string;
  searching: string;
  failingAt: (step: number | null, name: string | null) => string;
  follow: string;
  movesNext: string;
}

const en: StepStrings = {
  region: "Step mode",
  lanes: "Processes: choose who moves",
  stepProcess: (name, pid) => `Step ${name} (pid ${pid})`,
  state: { ready: "can move", running: "running", blocked: "blocked", sleeping: "sleeping", exited: "exited" },
  doing: (op, obj) => `next: ${op} ${obj}`,
  line: (file, line) => `${file}, line ${line}`,
  until: (ms) => `until ${ms} ms`,
  exitCode: (code) => `exit code ${code}`,
  toShared: "Run to the next shared operation",
  advance: (ms) => `Advance the clock to ${ms} ms`,
  back: "Back",
  random: "Finish with random choices",
  close: "Leave step mode",
  share: "Share this interleaving",
  shareCopied: "Link copied",
  replayShared: (n) => `Replay the shared ${n} steps`,
  sharedNotice: (n) => `This link holds an interleaving of ${n} steps. Nothing runs until you press the button.`,
  starting: "Starting the processes…",
  yourTurn: (n) => (n === 1 ? "Your turn: 1 process can move." : `Your turn: ${n} processes can move.`),
  running: "Running to the next scheduling point…",
  finished: "The run is over.",
  failed: (what) => `It failed: ${what}`,
  clock: (ms) => `clock ${ms} ms`,
  stepsSoFar: (n) => `${n} steps`,
  output: "Output of the stepped run",
  noOutput: "Nothing printed yet.",
  timeline: "The interleaving so far",
  keys: "Keys: 1–9 step that process, N next shared operation, A advance the clock, B back, R finish at random.",
  find: "Find a schedule that breaks this",
  stopSearch: "Stop searching",
  searching: "Searching schedules…",
  failingAt: (step, name) =>
    step === null
      ? "This is the failing schedule: the default order itself fails."
      : `This is the failing schedule. It first leaves the default order at step ${step}${name ? `: there it moves ${name}` : ""}.`,
  follow: "Follow the failing schedule to the end",
  movesNext: "the failing schedule moves this next",
};

const zh: StepStrings = {
  region: "单步模式",
  lanes: "进程：选择谁前进",
  stepProcess: (name, pid) => `让 ${name}（pid ${pid}）走一步`,
  state: { ready: "可以前进", running: "运行中", blocked: "阻塞", sleeping: "睡眠", exited: "已退出" },
  doing: (op, obj) => `下一步：${op} ${obj}`,
  line: (file, line) => `${file} 第 ${line} 行`,
  until: (ms) => `直到 ${ms} 毫秒`,
  exitCode: (code) => `退出码 ${code}`,
  toShared: "运行到下一个共享操作",
  advance: (ms) => `把时钟拨到 ${ms} 毫秒`,
  back: "后退",
  random: "用随机选择跑完",
  close: "退出单步模式",
  share: "分享这个交错顺序",
  shareCopied: "链接已复制",
  replayShared: (n) => `重放分享的 ${n} 步`,
  sharedNotice: (n) => `这个链接包含一个 ${n} 步的交错顺序。在你按下按钮之前，什么都不会运行。`,
  starting: "正在启动进程……",
  yourTurn: (n) => `轮到你了：有 ${n} 个进程可以前进。`,
  running: "正在运行到下一个调度点……",
  finished: "运行结束。",
  failed: (what) => `失败：${what}`,
  clock: (ms) => `时钟 ${ms} 毫秒`,
  stepsSoFar: (n) => `${n} 步`,
  output: "单步运行的输出",
  noOutput: "还没有输出。",
  timeline: "到目前为止的交错顺序",
  keys: "按键：1–9 让对应进程走一步，N 下一个共享操作，A 拨动时钟，B 后退，R 随机跑完。",
  find: "找一个让它出错的调度",
  stopSearch: "停止搜索",
  searching: "正在搜索调度……",
  failingAt: (step, name) =>
    step === null ? "这是出错的调度：默认顺序本身就会出错。" : `这是出错的调度。它在第 ${step} 步第一次偏离默认顺序${name ? `：那一步它让 ${name} 前进` : ""}。`,
  follow: "沿着出错的调度运行到底",
  movesNext: "出错的调度下一步让它前进",
};

export function stepStrings(locale: string): StepStrings {
  return locale === "zh" ? zh : en;
}
