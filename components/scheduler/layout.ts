import type { ProcessView } from "@/lib/scheduler";

export interface NodePos {
  pid: number;
  /** Column, in node slots (may be fractional for parents centred over children). */
  x: number;
  /** Depth in the tree: init is 0. */
  y: number;
}

export interface TreeLayout {
  nodes: Map<number, NodePos>;
  /** Number of columns used. */
  columns: number;
  /** Number of rows used. */
  rows: number;
}

/**
 * A tidy tree from the current parent links: leaves take the next free column, a parent
 * sits centred over its children. Recomputed at every step, so a re-parented process
 * moves under its new parent (the view animates the move). Children go in pid order.
 */
export function layoutTree(processes: readonly ProcessView[]): TreeLayout {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, ProcessView[]>();
  const roots: ProcessView[] = [];
  for (const p of processes) {
    if (byPid.has(p.ppid) && p.ppid !== p.pid) {
      const list = children.get(p.ppid) ?? [];
      list.push(p);
      children.set(p.ppid, list);
    } else roots.push(p);
  }
  const nodes = new Map<number, NodePos>();
  let next = 0;
  let rows = 0;
  const place = (p: ProcessView, depth: number, seen: Set<number>): number => {
    if (seen.has(p.pid)) return next; // a cycle in a malformed trace: stop rather than loop
    seen.add(p.pid);
    rows = Math.max(rows, depth + 1);
    const kids = (children.get(p.pid) ?? []).sort((a, b) => a.pid - b.pid);
    let x: number;
    if (kids.length === 0) x = next++;
    else {
      const xs = kids.map((k) => place(k, depth + 1, seen));
      x = ((xs[0] ?? 0) + (xs[xs.length - 1] ?? 0)) / 2;
    }
    nodes.set(p.pid, { pid: p.pid, x, y: depth });
    return x;
  };
  const seen = new Set<number>();
  for (const r of roots.sort((a, b) => a.pid - b.pid)) place(r, 0, seen);
  return { nodes, columns: Math.max(1, next), rows: Math.max(1, rows) };
}
