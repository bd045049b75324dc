/**
 * Every lesson block, and every exercise's solution, again in relay mode: the Node host without
 * shared memory, the runtime a browser without SharedArrayBuffer uses (compatibility mode,
 * lib/runtime/README.md).
 */
import { describeLessonBlocks } from "./block-suite";

describeLessonBlocks("lesson blocks in relay mode", true);
