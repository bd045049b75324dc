/**
 * lib/kernel: the simulated OS core. Pure TypeScript (no DOM, Node or React) so it runs
 * unchanged in a browser worker and in Node.
 *
 * `createKernel(host)` builds a kernel with every built-in subsystem registered.
 * Other subsystems (lib/kernel/net) add syscalls with `kernel.syscalls.register(name, handlers)`
 * and block callers by returning `{ block: { queues: [waitQueue], check, … } }` from a handler;
 * waking the WaitQueue from a readiness callback re-runs `check`.
 */
import { Kernel, type KernelHost, type KernelOptions } from "./kernel";
import { FS_FILE_BYTES, FS_PROGRAM_BYTES, FileSystem, registerFsSyscalls } from "./filesystem";
import { FileLocks, registerFileLockSyscalls } from "./file-locks";
import { PipeTable, registerPipeSyscalls } from "./pipes";
import { registerProcessSyscalls } from "./processes";
import { BlobStore, QueueTable, registerQueueSyscalls } from "./queues";
import { registerShmSyscalls, ShmTable } from "./shm";
import { registerTrackerSyscalls, ResourceTrackers } from "./trackers";
import { registerSyncSyscalls } from "./sync";
import { MEMORY_BYTES, registerRightsSyscalls, type ProcessLimits } from "./limits";
import { Terminal, Terminals, registerTerminalSyscalls, terminalOf } from "./terminal";
import { Network } from "./net/network";
import { registerNetSyscalls } from "./net/syscalls";
import { SchedTable } from "./sched/table";

export { Kernel, type KernelHost, type KernelOptions, type ProcessStart } from "./kernel";
export { resolvePath } from "./paths";
export { KernelError, Errno, strerror, type KernelErrorData, type PyExceptionName, type ErrnoName } from "./errors";
export { Emitter, type KernelEvent, type KernelEventInput, type BlockOn, type UnblockReason } from "./events";
export { INIT_PID, ProcessTable, type ProcessInfo, type ProcessState, type ProcessEntry } from "./process-table";
export { Signal, isSignal, parseSignal, signalName, type SignalName, type SignalNumber } from "./signals";
export { WaitQueue, type Waiter } from "./wait-queue";
export { DeadlockDetector, SETTLE_MS, findCycle, type DeadlockReport, type DeadlockWait, type DeadlockProcess, type WaitKind } from "./deadlock";
export { formatDeadlock, type DeadlockLocale } from "./deadlock-text";
export { HandleTable, type HandleKind } from "./handles";
export { SharedHeap, isSharedBuffer, HEAP_EPOCH_INDEX, SEM_HOLDER, RING, RING_HEADER_BYTES, RING_DATA_BYTES, RING_PIPE_BYTES, RING_WRITER_GONE, RING_READER_GONE } from "./shared-heap";
export { FileSystem, FS_FILE_BYTES, FS_PROGRAM_BYTES, type FsLimits } from "./filesystem";
export { FileLocks } from "./file-locks";
export { SchedTable, type Controlled, type ControlOptions } from "./sched/table";
export type { End as ControlledEnd } from "./sched/controller";
export { Terminal, Terminals } from "./terminal";
export { MEMORY_BYTES, type ProcessLimits } from "./limits";
export { QueueTable, MessageQueue, BlobStore, BLOB_PROGRAM_BYTES } from "./queues";
export { PipeTable } from "./pipes";
export { Network, SOCK_RING, SOCK_RING_HEADER_BYTES, RX_OK, TX_OK, SockRingOps, type NetEvent, type SocketInfo, type SocketState, type SockAddr } from "./net";
export {
  SyscallRegistry,
  argBool,
  argInt,
  argInts,
  argNum,
  argStr,
  argTimeout,
  type BlockSpec,
  type JsonObject,
  type JsonValue,
  type SyscallCall,
  type SyscallHandler,
  type SyscallOutcome,
  type SyscallReply,
  type SyscallResult,
} from "./syscalls";

export interface KernelParts {
  readonly kernel: Kernel;
  readonly fs: FileSystem;
  /** flock and fcntl record locks on the fs's files. */
  readonly locks: FileLocks;
  /** Init's terminal (the machine's); each program has its own in `terminals`. */
  readonly terminal: Terminal;
  readonly terminals: Terminals;
  readonly queues: QueueTable;
  readonly pipes: PipeTable;
  /** The loopback network (lib/kernel/net). */
  readonly net: Network;
  /** Named shared memory segments (multiprocessing.shared_memory). */
  readonly shm: ShmTable;
  /** multiprocessing's resource trackers (leaked SharedMemory names unlinked, with a warning). */
  readonly trackers: ResourceTrackers;
  /** Controlled programs (lib/kernel/sched). */
  readonly sched: SchedTable;
  /** What each process's worker enforces on itself (sent with its start). */
  readonly limits: ProcessLimits;
}

/** A kernel with the process, sync, queue, pipe, fs and terminal subsystems registered. */
export function createKernel(host: KernelHost, options: KernelOptions = {}): KernelParts {
  const kernel = new Kernel(host, options);
  const fs = new FileSystem({ programBytes: options.fsProgramBytes ?? FS_PROGRAM_BYTES, fileBytes: options.fsFileBytes ?? FS_FILE_BYTES });
  registerRightsSyscalls(kernel);
  const limits: ProcessLimits = { fileBytes: fs.quota.limits.fileBytes, memoryBytes: options.memoryBytes ?? MEMORY_BYTES };
  const terminal = new Terminal();
  const queues = new QueueTable();
  const pipes = new PipeTable(kernel);
  registerProcessSyscalls(kernel);
  registerSyncSyscalls(kernel);
  registerQueueSyscalls(kernel, queues, new BlobStore(options.blobProgramBytes));
  registerPipeSyscalls(kernel, pipes);
  registerFsSyscalls(kernel, fs);
  const locks = new FileLocks((pid, label) => kernel.deadlocks.waitingOn(pid) === label);
  registerFileLockSyscalls(kernel, locks);
  const terminals = new Terminals(terminal);
  kernel.onProgramExit((program) => terminals.drop(program));
  registerTerminalSyscalls(kernel, terminals);
  const shm = new ShmTable(kernel);
  registerShmSyscalls(kernel, shm);
  const trackers = new ResourceTrackers(kernel, shm, pipes);
  registerTrackerSyscalls(kernel, trackers);
  const net = new Network({ timers: host, heap: kernel.heap });
  registerNetSyscalls(kernel, net, (pid) => terminalOf(kernel, terminals, pid));
  const sched = new SchedTable(kernel, () => net.restart());
  return { kernel, fs, locks, terminal, terminals, queues, pipes, net, shm, trackers, sched, limits };
}
