/**
 * A sample of lesson blocks in compatibility mode, for the webkit-nosab run of the core subset:
 * one block per kind of object the relay carries (a lock, a queue, a pipe, sockets, sleeps, a
 * signal, a deadlock's diagnosis) and one exercise solution, on /dev/lessons (lesson-blocks.ts),
 * judged as the Node suite judges them. Every block and exercise: bench/webkit-lessons.bench.ts.
 */
import { formatResult, runLessonBlocks } from "./lesson-blocks";
import type { Case } from "./suite";
import { assert } from "./tab";

export const LESSON_SAMPLE_NAMES = [
  "09-locks/en.mdx:230 (plain-race-locked)", // a Lock around a read-check-write of a shared file
  "16-conditions-and-semaphores/en.mdx:117 (philosophers)", // Locks in a cycle: the kernel's deadlock diagnosis
  "10-queues/en.mdx:28 (fifo)", // Queue, Event, sleep
  "11-queues-and-pipes/en.mdx:114 (eof)", // Pipe, EOFError once the writer closed
  "13-tcp-server/en.mdx:36 (line-36)", // a TCP server and a companion client
  "17-signals/en.mdx:28 (handler)", // a signal handler, sleep
  "exercise:11-pipe-squares", // an exercise's Check: its solution, run twice
];

export const LESSON_SAMPLE: Case = {
  name: `lesson blocks in compatibility mode: a sample of ${LESSON_SAMPLE_NAMES.length} (locks, a deadlock, queues, pipes, sockets, signals, an exercise) print what the lesson says`,
  async run(tab, base) {
    const run = await runLessonBlocks(tab, base, { select: () => LESSON_SAMPLE_NAMES, onResult: (r) => console.log(`    ${formatResult(r)}`) });
    assert(run.mode === "relay", `the page's runtime should be in compatibility mode (relay), it is ${run.mode}`);
    const failed = run.results.filter((r) => !r.ok);
    assert(failed.length === 0, `${failed.length} of ${run.results.length} failed:\n${failed.map(formatResult).join("\n")}`);
  },
};
