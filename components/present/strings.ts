import type { Locale } from "@/lib/content/locales";

export interface PresentStrings {
  slideOf: (n: number, total: number) => string;
  previous: string;
  next: string;
  goTo: string;
  presenter: string;
  currentSlide: string;
  nextSlide: string;
  endOfLesson: string;
  notes: string;
  noNotes: string;
  elapsed: string;
  pause: string;
  resume: string;
  reset: string;
  clock: string;
  lesson: (n: number) => string;
  youWillLearn: string;
  startLive: string;
  starting: string;
  endLive: string;
  liveJoin: string;
  joinCode: string;
  joinAt: string;
  scanToJoin: string;
  liveOn: string;
  liveReconnecting: string;
  liveError: (message: string) => string;
  following: (code: string) => string;
  connecting: string;
  reconnecting: string;
  endedByInstructor: string;
  expired: string;
  notFound: string;
  backToInstructor: string;
  instructorOn: (n: number) => string;
  readingView: string;
  keysHelp: string;
  popupBlocked: string;
  studentsRunNothing: string;
  /** The static export has no server to hold a live session. */
  liveNeedsServer: string;
  localhostWarning: string;
}

export const STRINGS: Record<Locale, PresentStrings> = {
  en: {
    slideOf: (n, total) => `Slide ${n} of ${total}`,
    previous: "Previous slide",
    next: "Next slide",
    goTo: "Go to slide",
    presenter: "Presenter view",
    currentSlide: "Current slide",
    nextSlide: "Next slide",
    endOfLesson: "End of the lesson",
    notes: "Notes",
    noNotes: "No notes for this slide.",
    elapsed: "Elapsed",
    pause: "Pause",
    resume: "Resume",
    reset: "Reset",
    clock: "Time",
    lesson: (n) => `Lesson ${n}`,
    youWillLearn: "You will learn",
    startLive: "Start a live session",
    starting: "Starting…",
    endLive: "End live session",
    liveJoin: "Follow along on your device",
    joinCode: "Join code",
    joinAt: "Open",
    scanToJoin: "Scan to join",
    liveOn: "Live",
    liveReconnecting: "Live: reconnecting…",
    liveError: (m) => `Live session: ${m}`,
    following: (code) => `Following the instructor (${code})`,
    connecting: "Connecting to the class…",
    reconnecting: "Cannot reach the server. Reconnecting…",
    endedByInstructor: "The instructor ended the live session. You can keep reading.",
    expired: "The live session expired. You can keep reading.",
    notFound: "There is no live session with this code (it may have ended).",
    backToInstructor: "Back to the instructor",
    instructorOn: (n) => `The instructor is on slide ${n}.`,
    readingView: "Reading view",
    keysHelp: "← → Space: move · number + Enter: jump · F: full screen · + −: zoom · S: presenter view · Esc: reading view",
    popupBlocked: "The browser blocked the presenter window: allow pop-ups for this site.",
    studentsRunNothing: "Code runs on a student's device only when they press Run.",
    liveNeedsServer: "Live sessions (students following your slides) need Spawnpoint's server; this copy of the site is static files. Presenting works as usual.",
    localhostWarning: "Students cannot open localhost: open this page through this computer's network address.",
  },
  zh: {
    slideOf: (n, total) => `第 ${n} 页，共 ${total} 页`,
    previous: "上一页",
    next: "下一页",
    goTo: "跳转到",
    presenter: "演讲者视图",
    currentSlide: "当前页",
    nextSlide: "下一页",
    endOfLesson: "本课结束",
    notes: "备注",
    noNotes: "这一页没有备注。",
    elapsed: "已用时间",
    pause: "暂停",
    resume: "继续",
    reset: "重置",
    clock: "时间",
    lesson: (n) => `第 ${n} 课`,
    youWillLearn: "你将学到",
    startLive: "开始课堂直播",
    starting: "正在开始…",
    endLive: "结束课堂直播",
    liveJoin: "在你的设备上跟随",
    joinCode: "加入码",
    joinAt: "打开",
    scanToJoin: "扫码加入",
    liveOn: "直播中",
    liveReconnecting: "直播：正在重新连接…",
    liveError: (m) => `课堂直播：${m}`,
    following: (code) => `正在跟随老师（${code}）`,
    connecting: "正在连接课堂…",
    reconnecting: "无法连接服务器，正在重新连接…",
    endedByInstructor: "老师已结束课堂直播。你可以继续阅读。",
    expired: "课堂直播已过期。你可以继续阅读。",
    notFound: "没有使用这个加入码的课堂直播（可能已经结束）。",
    backToInstructor: "回到老师的位置",
    instructorOn: (n) => `老师在第 ${n} 页。`,
    readingView: "阅读视图",
    keysHelp: "← → 空格：翻页 · 数字 + 回车：跳转 · F：全屏 · + −：缩放 · S：演讲者视图 · Esc：阅读视图",
    popupBlocked: "浏览器拦截了演讲者窗口：请允许本站弹出窗口。",
    studentsRunNothing: "只有学生自己点击“运行”时，代码才会在其设备上运行。",
    liveNeedsServer: "课堂直播（学生跟随你的幻灯片）需要 Spawnpoint 的服务器；这份网站是静态文件。演示照常可用。",
    localhostWarning: "学生无法打开 localhost：请通过这台电脑的网络地址打开本页。",
  },
};
