/**
 * Inheritable handles: pipe ends (and, for lib/kernel/net, sockets). Like a file
 * description shared by several fds, a handle stays open while any process holds it;
 * passing it to a child at spawn adds the child as a holder, and a process that ends
 * drops all its holds. `onLastClose` runs when the last holder lets go.
 */
export interface HandleKind {
  readonly kind: string;
  onLastClose(): void;
}

interface HandleEntry {
  readonly kind: HandleKind;
  readonly holders: Map<number, number>; // pid → hold count
  closed: boolean;
}

export class HandleTable {
  private readonly handles = new Map<number, HandleEntry>();
  private nextId = 1;

  create(kind: HandleKind, holder: number): number {
    const id = this.nextId++;
    this.handles.set(id, { kind, holders: new Map([[holder, 1]]), closed: false });
    return id;
  }

  has(id: number): boolean {
    return this.handles.has(id);
  }

  isOpen(id: number): boolean {
    const h = this.handles.get(id);
    return h !== undefined && !h.closed;
  }

  holders(id: number): number[] {
    return [...(this.handles.get(id)?.holders.keys() ?? [])];
  }

  attach(id: number, pid: number): void {
    const h = this.handles.get(id);
    if (!h || h.closed) return;
    h.holders.set(pid, (h.holders.get(pid) ?? 0) + 1);
  }

  /** Drops one hold of `pid` on `id` (or all of them with `all`). */
  release(id: number, pid: number, all = false): void {
    const h = this.handles.get(id);
    if (!h || h.closed) return;
    const n = h.holders.get(pid);
    if (n === undefined) return;
    if (all || n <= 1) h.holders.delete(pid);
    else h.holders.set(pid, n - 1);
    if (h.holders.size === 0) {
      h.closed = true;
      this.handles.delete(id);
      h.kind.onLastClose();
    }
  }

  /** A process ended: it lets go of everything it held. */
  releaseAll(pid: number): void {
    for (const [id, h] of [...this.handles]) if (h.holders.has(pid)) this.release(id, pid, true);
  }
}
