/**
 * A sample of lesson blocks in compatibility mode, for the webkit-nosab run of the core subset:
 * a lock, a deadlock's diagnosis, a queue and a pipe (the core subset runs sockets, sleep and
 * input() in this mode too), on /dev/lessons (lesson-blocks.ts),
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
];

export const LESSON_SAMPLE: Case = {
  name: `lesson blocks in compatibility mode: a sample of ${LESSON_SAMPLE_NAMES.length} (a lock, a deadlock, a queue, a pipe) print what the lesson says`,
  async run(tab, base) {
    const run = await runLessonBlocks(tab, base, { select: () => LESSON_SAMPLE_NAMES, onResult: (r) => console.log(`    ${formatResult(r)}`) });
    assert(run.mode === "relay", `the page's runtime should be in compatibility mode (relay), it is ${run.mode}`);
    const failed = run.results.filter((r) => !r.ok);
    assert(failed.length === 0, `${failed.length} of ${run.results.length} failed:\n${failed.map(formatResult).join("\n")}`);
  },
};
