import type { Locale } from "@/lib/content/locales";

/** Every UI string of the site chrome, per language. Lesson text lives in content/. */
export interface UiStrings {
  siteName: string;
  tagline: string;
  skipToContent: string;
  lessons: string;
  lessonNumber: (n: number) => string;
  onThisPage: string;
  previous: string;
  next: string;
  language: string;
  readIn: string;
  /** Name of each language, written in that language (shown in the switch). */
  languageNames: Record<Locale, string>;
  theme: string;
  themeLight: string;
  themeDark: string;
  themeSystem: string;
  copy: string;
  copied: string;
  copyCode: string;
  output: string;
  outputUnordered: string;
  expectedOutput: string;
  runnableExample: string;
  files: string;
  startHere: string;
  lessonMinutes: (minutes: number) => string;
  youWillLearn: string;
  notFoundTitle: string;
  notFoundBody: string;
  backHome: string;
  mainNav: string;
  note: string;
  tip: string;
  warning: string;
  predict: string;
  exercise: string;
  /** The static export's header badge (OfflineStatus): saving this build for offline use. */
  offlineSaving: (percent: number) => string;
  offlineReady: string;
  offlineReadyHint: string;
  offlineFailed: string;
  homeIntro: string;
  homePoints: string[];
}

export const dictionary = {
  en: {
    siteName: "Spawnpoint",
    tagline: "Learn Python multiprocessing by running real processes in your browser.",
    skipToContent: "Skip to content",
    lessons: "Lessons",
    lessonNumber: (n) => `Lesson ${n}`,
    onThisPage: "On this page",
    previous: "Previous",
    next: "Next",
    language: "Language",
    readIn: "Read the course in",
    languageNames: { en: "English", zh: "中文" },
    theme: "Theme",
    themeLight: "Light",
    themeDark: "Dark",
    themeSystem: "System",
    copy: "Copy",
    copied: "Copied",
    copyCode: "Copy code to clipboard",
    output: "Output",
    outputUnordered: "Output (line order may vary)",
    expectedOutput: "Expected output",
    runnableExample: "Runnable example",
    files: "Files",
    startHere: "Start the course",
    lessonMinutes: (m) => `${m} min`,
    youWillLearn: "You will learn to",
    notFoundTitle: "Page not found",
    notFoundBody: "There is no page at this address. It may have moved, or the link may be mistyped.",
    backHome: "Back to the lessons",
    mainNav: "Main",
    note: "Note",
    tip: "Tip",
    warning: "Warning",
    predict: "Predict",
    exercise: "Exercise",
    offlineSaving: (percent) => `Saving for offline ${percent}%`,
    offlineReady: "Available offline",
    offlineReadyHint: "The lessons, Python and the editor are saved on this device: every lesson reads and runs without a network.",
    offlineFailed: "Not saved for offline use",
    homeIntro:
      "Spawnpoint teaches concurrency with Python's multiprocessing module. Every example runs real CPython in your browser, one Web Worker per process, so you can watch your own program's processes start, wait, share and end.",
    homePoints: [
      "Processes, start and join, memory isolation, PIDs",
      "Terminate, zombies, orphans and daemons",
      "Locks, queues, pipes and producer–consumer",
      "TCP servers that start a process per client",
    ],
  },
  zh: {
    siteName: "Spawnpoint",
    tagline: "在浏览器里运行真实的进程，学会 Python 多进程编程。",
    skipToContent: "跳到正文",
    lessons: "课程",
    lessonNumber: (n) => `第 ${n} 课`,
    onThisPage: "本页目录",
    previous: "上一课",
    next: "下一课",
    language: "语言",
    readIn: "选择课程语言",
    languageNames: { en: "English", zh: "中文" },
    theme: "主题",
    themeLight: "浅色",
    themeDark: "深色",
    themeSystem: "跟随系统",
    copy: "复制",
    copied: "已复制",
    copyCode: "复制代码",
    output: "输出",
    outputUnordered: "输出（行的顺序可能不同）",
    expectedOutput: "预期输出",
    runnableExample: "可运行示例",
    files: "文件",
    startHere: "开始学习",
    lessonMinutes: (m) => `${m} 分钟`,
    youWillLearn: "学完本课，你将能够",
    notFoundTitle: "页面不存在",
    notFoundBody: "这个地址没有对应的页面。它可能已经移动，或者链接有误。",
    backHome: "返回课程列表",
    mainNav: "主导航",
    note: "注意",
    tip: "提示",
    warning: "警告",
    predict: "先猜一猜",
    exercise: "练习",
    offlineSaving: (percent) => `正在保存离线副本 ${percent}%`,
    offlineReady: "可离线使用",
    offlineReadyHint: "课程、Python 和编辑器都已存在本机：断网后也能阅读和运行每一课。",
    offlineFailed: "未能保存离线副本",
    homeIntro:
      "Spawnpoint 用 Python 的 multiprocessing 模块讲解并发编程。每个示例都在你的浏览器里运行真正的 CPython，每个进程对应一个 Web Worker，你可以亲眼看到自己程序里的进程如何启动、等待、共享数据和结束。",
    homePoints: ["进程、start 与 join、内存隔离、PID", "terminate、僵尸进程、孤儿进程与守护进程", "锁、队列、管道与生产者–消费者", "为每个客户端创建一个进程的 TCP 服务器"],
  },
} satisfies Record<Locale, UiStrings>;

export function t(locale: Locale): UiStrings {
  return dictionary[locale];
}
