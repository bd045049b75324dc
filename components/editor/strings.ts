/** UI strings of the live editor, per lesson language. */
import type { DeadlockReport } from "@/lib/kernel/deadlock";
import { formatDeadlock } from "@/lib/kernel/deadlock-text";

export interface EditorStrings {
  run: string;
  /** Where a frame keeps the page from being isolated: the link that opens the lesson in its own tab. */
  openInNewTab: string;
  step: string;
  stepTitle: string;
  runFile: (file: string) => string;
  stop: string;
  reset: string;
  copy: string;
  copied: string;
  share: string;
  linkCopied: string;
  modified: string;
  /** Tooltip of the "modified" badge. */
  savedHere: string;
  /** Screen-reader suffix of the file tab that runs. */
  entrySuffix: string;
  /** Appended to the download size while Python boots (with its separator). */
  starting: string;
  queued: string;
  loadingPython: string;
  pythonReady: string;
  loadFailed: string;
  retry: string;
  running: string;
  exited: (code: number | null) => string;
  stopped: string;
  scrolledOut: (lines: number, kept: number) => string;
  /** The kernel's deadlock diagnosis, headline first. */
  deadlock: (report: DeadlockReport) => string[];
  sharedNotice: string;
  tabHint: string;
  prefixToggle: string;
  terminal: string;
  shell: string;
  output: string;
  noOutput: string;
  processes: string;
  files: string;
  codeEditor: (file: string) => string;
  example: (file: string) => string;
  expected: string;
  matches: string;
  differs: string;
  replay: string;
  closeReplay: string;
}

const en: EditorStrings = {
  run: "Run",
  openInNewTab: "Open in a new tab",
  step: "Step",
  stepTitle: "Run it one step at a time: you choose which process moves",
  runFile: (f) => `Run ${f}`,
  stop: "Stop",
  reset: "Reset",
  copy: "Copy",
  copied: "Copied",
  share: "Share",
  linkCopied: "Link copied",
  modified: "modified",
  savedHere: "Your edits are saved in this browser",
  entrySuffix: " (runs)",
  starting: ", starting…",
  queued: "Run queued: it starts as soon as Python is ready.",
  loadingPython: "Loading Python",
  pythonReady: "Python is ready",
  loadFailed: "Python could not be loaded",
  retry: "Retry",
  running: "running",
  exited: (c) => (c === 0 ? "Program exited." : c !== null && c < 0 ? `Program ended by signal ${-c} (exit code ${c}).` : `Program exited with code ${c}.`),
  stopped: "Program stopped.",
  scrolledOut: (lines, kept) => `The terminal keeps the last ${kept.toLocaleString("en")} lines: the first ${(lines - kept).toLocaleString("en")} of ${lines.toLocaleString("en")} scrolled out of it.`,
  deadlock: (r) => formatDeadlock(r, "en"),
  sharedNotice: "This code came from a shared link. Read it, then press Run to run it.",
  tabHint: "Tab indents. To leave the editor with Tab, press Ctrl+M first (Ctrl+Shift+M on Mac); Esc also works on touch keyboards.",
  prefixToggle: "Prefix lines with process",
  terminal: "Terminal",
  shell: "Shell",
  output: "Output",
  noOutput: "Press Run to see the program's output here.",
  processes: "Processes",
  files: "Files",
  codeEditor: (f) => `Code editor: ${f}`,
  example: (f) => `Example: ${f}`,
  expected: "Expected output",
  matches: "Output matches the lesson.",
  differs: "Output differs from the lesson's expected output.",
  replay: "Replay this run",
  closeReplay: "Close replay",
};

const zh: EditorStrings = {
  run: "运行",
  openInNewTab: "在新标签页中打开",
  step: "单步",
  stepTitle: "一步一步地运行：由你选择哪个进程前进",
  runFile: (f) => `运行 ${f}`,
  stop: "停止",
  reset: "重置",
  copy: "复制",
  copied: "已复制",
  share: "分享",
  linkCopied: "链接已复制",
  modified: "已修改",
  savedHere: "你的修改保存在这个浏览器里",
  entrySuffix: "（运行的文件）",
  starting: "，正在启动…",
  queued: "已排队：Python 就绪后立即运行。",
  loadingPython: "正在加载 Python",
  pythonReady: "Python 已就绪",
  loadFailed: "无法加载 Python",
  retry: "重试",
  running: "运行中",
  exited: (c) => (c === 0 ? "程序已退出。" : c !== null && c < 0 ? `程序被信号 ${-c} 结束（退出码 ${c}）。` : `程序已退出，退出码 ${c}。`),
  stopped: "程序已停止。",
  scrolledOut: (lines, kept) => `终端只保留最后 ${kept} 行：共 ${lines} 行，前 ${lines - kept} 行已滚出终端。`,
  deadlock: (r) => formatDeadlock(r, "zh"),
  sharedNotice: "这段代码来自分享链接。请先阅读，然后按“运行”执行。",
  tabHint: "Tab 用于缩进。要用 Tab 离开编辑器，请先按 Ctrl+M（Mac 上为 Ctrl+Shift+M）。",
  prefixToggle: "按进程标注每行输出",
  terminal: "终端",
  shell: "Shell",
  output: "输出",
  noOutput: "按“运行”后，程序的输出会显示在这里。",
  processes: "进程",
  files: "文件",
  codeEditor: (f) => `代码编辑器：${f}`,
  example: (f) => `示例：${f}`,
  expected: "预期输出",
  matches: "输出与课程一致。",
  differs: "输出与课程的预期输出不同。",
  replay: "回放这次运行",
  closeReplay: "关闭回放",
};

export function editorStrings(locale: string): EditorStrings {
  return locale === "zh" ? zh : en;
}
