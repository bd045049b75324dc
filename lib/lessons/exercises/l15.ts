import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

const WORDS = ["ahoy", "bonjour", "ciao", "hallo", "hej", "hola", "namaste", "nihao", "salut", "servus"];

const program = (show: string, main: string) => `import multiprocessing as mp

WORD = "default"

def show(word):
${show}
if __name__ == "__main__":
    with open("data/word.txt") as f:
        WORD = f.read().strip()
${main}`;

const SHOW = '    print(f"{mp.current_process().name}: arg={word} global={WORD}")\n';
const MAIN = `    ctx = mp.get_context("spawn")
    for _ in range(2):
        p = ctx.Process(target=show, args=(WORD,))
        p.start()
        p.join()
`;

export const spawnContext: ExerciseSpec = {
  id: "15-spawn-context",
  lesson: "start-methods",
  entry: "main.py",
  starter: {
    "main.py": program('    # print "NAME: arg=WORD global=WORD" (the argument, then the global)\n    pass\n', "    # start two children, one after the other, from a spawn context\n    pass\n"),
    "data/word.txt": "hello\n",
  },
  solution: { "main.py": program(SHOW, MAIN), "data/word.txt": "hello\n" },
  runs: 2,
  inputs: (runIndex, seed) => ({ "data/word.txt": `${WORDS[Math.floor(seededRandom(seed + runIndex * 9973)() * WORDS.length)]}\n` }),
  hints: [
    { en: 'ctx = mp.get_context("spawn") gives an object with the same API as the module: ctx.Process, ctx.Queue…', zh: 'ctx = mp.get_context("spawn") 返回一个和模块本身用法相同的对象：ctx.Process、ctx.Queue……' },
    { en: "The child re-imports the file: its WORD is the file's, the argument carries the parent's.", zh: "子进程会重新导入文件：它的 WORD 是文件里写的那个值，参数带过去的才是父进程的值。" },
  ],
  checks: [
    sourceIncludes(/get_context\(\s*["']spawn["']\s*\)/, { en: 'Use mp.get_context("spawn") for the children.', zh: '用 mp.get_context("spawn") 来创建子进程。' }),
    sourceExcludes(/set_start_method/, { en: "Leave the global default alone: a context is enough.", zh: "不要改全局的默认方式：一个上下文就够了。" }),
    finishes(),
    noTraceback(),
    runCheck((run, { inputs }) => {
      const word = (inputs["data/word.txt"] ?? "").trim();
      const want = [1, 2].map((n) => `SpawnProcess-${n}: arg=${word} global=default`);
      const got = outputLines(run);
      if (got.join("\n") !== want.join("\n")) {
        return {
          en: `This run's data/word.txt says "${word}", so the output should be:\n${want.join("\n")}`,
          zh: `这一次 data/word.txt 里是 "${word}"，输出应当是：\n${want.join("\n")}`,
        };
      }
      const tree = processTree(run);
      return tree.children.length === 2 ? null : { en: "Start exactly two children.", zh: "恰好启动两个子进程。" };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'import multiprocessing as mp\nmp.get_context("spawn")\nprint("SpawnProcess-1: arg=hello global=default")\nprint("SpawnProcess-2: arg=hello global=default")\n', "data/word.txt": "hello\n" } },
    { why: "the global read for the argument (as if the child were a fork)", files: { "main.py": program('    print(f"{mp.current_process().name}: arg={WORD} global={WORD}")\n', MAIN), "data/word.txt": "hello\n" } },
    { why: "mp.Process instead of the context's", files: { "main.py": program(SHOW, MAIN.replace("ctx.Process", "mp.Process")), "data/word.txt": "hello\n" } },
  ],
};
