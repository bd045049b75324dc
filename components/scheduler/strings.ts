import type { Locale } from "@/lib/content/locales";

/** Every UI string of the scheduler view. Captions live in lib/scheduler/captions.ts. */
export interface SchedulerStrings {
  region: (title: string) => string;
  play: string;
  pause: string;
  stepBack: string;
  stepForward: string;
  restart: string;
  scrub: string;
  speed: string;
  large: string;
  stepOf: (step: number, last: number) => string;
  clock: (time: number, unit: "tick" | "ms") => string;
  legend: string;
  tree: string;
  timeline: string;
  daemon: string;
  adopted: (from: number) => string;
  exitCode: (code: number) => string;
  keyboardHint: string;
  scenarioTitles: Record<string, string>;
  replayTitle: string;
  customTitle: string;
  allSteps: string;
}

export const STRINGS: Record<Locale, SchedulerStrings> = {
  en: {
    region: (title) => `Scheduler: ${title}`,
    play: "Play",
    pause: "Pause",
    stepBack: "Step back",
    stepForward: "Step forward",
    restart: "Restart",
    scrub: "Step",
    speed: "Speed",
    large: "Large mode",
    stepOf: (step, last) => `Step ${step} of ${last}`,
    clock: (time, unit) => (unit === "tick" ? `t = ${time}` : `${(time / 1000).toFixed(time < 10_000 ? 2 : 1)} s`),
    legend: "Legend",
    tree: "Process tree",
    timeline: "Timeline: one lane per process",
    daemon: "daemon",
    adopted: (from) => `ppid 1 (was ${from})`,
    exitCode: (code) => `exit ${code}`,
    keyboardHint: "Space plays or pauses, ← and → step, Home and End jump to the start and the end.",
    scenarioTitles: {
      "start-join": "start and join",
      zombie: "a zombie",
      orphan: "an orphan",
      daemon: "daemon vs non-daemon",
      terminate: "terminate()",
      "zombie-parent-dies": "a zombie whose parent dies",
    },
    replayTitle: "replay of your run",
    customTitle: "a scenario",
    allSteps: "Steps so far",
  },
  zh: {
    region: (title) => `调度器：${title}`,
    play: "播放",
    pause: "暂停",
    stepBack: "后退一步",
    stepForward: "前进一步",
    restart: "从头开始",
    scrub: "步骤",
    speed: "速度",
    large: "大字模式",
    stepOf: (step, last) => `第 ${step} 步，共 ${last} 步`,
    clock: (time, unit) => (unit === "tick" ? `t = ${time}` : `${(time / 1000).toFixed(time < 10_000 ? 2 : 1)} 秒`),
    legend: "图例",
    tree: "进程树",
    timeline: "时间线：每个进程一条泳道",
    daemon: "守护",
    adopted: (from) => `ppid 1（原为 ${from}）`,
    exitCode: (code) => `退出码 ${code}`,
    keyboardHint: "空格键播放或暂停，← 和 → 单步，Home 和 End 跳到开头和结尾。",
    scenarioTitles: {
      "start-join": "启动与 join",
      zombie: "僵尸进程",
      orphan: "孤儿进程",
      daemon: "守护进程与非守护进程",
      terminate: "terminate()",
      "zombie-parent-dies": "父进程死去的僵尸进程",
    },
    replayTitle: "回放你的运行",
    customTitle: "一个场景",
    allSteps: "已经发生的步骤",
  },
};
