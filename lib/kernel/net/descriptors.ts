/**
 * Per-process descriptor tables, and the tickets of sockets on their way to another process.
 * A descriptor refers to a socket (an open file description, see sockets.ts) and holds a
 * reference to it, as a ticket does; the socket closes when the last one goes.
 */
import { fail, type NetResult, ok } from "./result";
import type { Socket } from "./sockets";

/** The first descriptor a process gets: 0–2 are stdin, stdout and stderr. */
const FIRST_FD = 3;

export class Descriptors {
  private readonly tables = new Map<number, Map<number, Socket>>();
  private readonly tickets = new Map<number, { sock: Socket; owner: number }>();
  private nextTicket = 1;

  /**
   * `lastClose` runs when a socket's last descriptor or ticket goes; `touched` when a
   * socket lost one of several holders (its readiness for the others may change).
   */
  constructor(
    private readonly maxFds: number,
    private readonly lastClose: (s: Socket) => void,
    private readonly touched: (s: Socket) => void,
  ) {}

  /** Descriptors and unclaimed tickets still open, machine-wide. */
  open(): number {
    let n = this.tickets.size;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }

  get(pid: number, fd: number): Socket | undefined {
    return this.tables.get(pid)?.get(fd);
  }

  lookup(pid: number, fd: number): NetResult<Socket> {
    const s = this.get(pid, fd);
    return s ? ok(s) : fail("EBADF");
  }

  /**
   * A new descriptor for `s` in `pid`: the lowest free one, or EMFILE (RLIMIT_NOFILE). `at`:
   * that number instead, closing what it referred to, as dup2(2) does: the worker passes the
   * lowest number free in the process's own table of files, which on Linux is one table with
   * its sockets.
   */
  install(pid: number, s: Socket, at?: number): NetResult<number> {
    let table = this.tables.get(pid);
    if (!table) {
      table = new Map();
      this.tables.set(pid, table);
    }
    if (at !== undefined && (at < FIRST_FD || !Number.isInteger(at))) return fail("EBADF");
    if (table.size >= this.maxFds && !(at !== undefined && table.has(at))) return fail("EMFILE");
    let fd = at ?? FIRST_FD;
    if (at !== undefined) {
      const old = table.get(at);
      if (old) {
        table.delete(at);
        this.unref(pid, old);
      }
    } else while (table.has(fd)) fd++;
    table.set(fd, s);
    s.refs.set(pid, (s.refs.get(pid) ?? 0) + 1);
    s.orphan = false;
    return ok(fd);
  }

  close(pid: number, fd: number): NetResult<null> {
    const table = this.tables.get(pid);
    const s = table?.get(fd);
    if (!table || !s) return fail("EBADF");
    table.delete(fd);
    this.unref(pid, s);
    return ok(null);
  }

  /**
   * A ticket for a socket that travels to another process (pickled for a child). It holds
   * a reference, so the connection stays open even if the sender closes its own descriptor
   * right after starting the child; `claim` turns it into a descriptor of the receiver.
   */
  share(pid: number, fd: number): NetResult<number> {
    const s = this.lookup(pid, fd);
    if (!s.ok) return s;
    const ticket = this.nextTicket++;
    s.value.tickets++;
    this.tickets.set(ticket, { sock: s.value, owner: pid });
    return ok(ticket);
  }

  claim(pid: number, ticket: number, at?: number): NetResult<number> {
    const t = this.tickets.get(ticket);
    if (!t) return fail("EBADF", "Bad file descriptor: the socket was closed before this process could receive it");
    const fd = this.install(pid, t.sock, at);
    if (!fd.ok) return fd;
    this.tickets.delete(ticket);
    t.sock.tickets--;
    return fd;
  }

  /** A process ended: its descriptors close, and the tickets it made that nobody claimed. */
  exitProcess(pid: number): void {
    const table = this.tables.get(pid);
    if (table) {
      this.tables.delete(pid);
      for (const s of table.values()) this.unref(pid, s);
    }
    for (const [id, t] of this.tickets) {
      if (t.owner !== pid) continue;
      this.tickets.delete(id);
      t.sock.tickets--;
      if (t.sock.holders === 0) this.lastClose(t.sock);
    }
  }

  /** The descriptors `pid` holds, ascending. */
  fds(pid: number): number[] {
    return [...(this.tables.get(pid)?.keys() ?? [])].sort((a, b) => a - b);
  }

  clear(): void {
    this.tables.clear();
    this.tickets.clear();
  }

  private unref(pid: number, s: Socket): void {
    const n = (s.refs.get(pid) ?? 0) - 1;
    if (n > 0) s.refs.set(pid, n);
    else s.refs.delete(pid);
    if (s.holders === 0) this.lastClose(s);
    else this.touched(s);
  }
}
