import { describe, expect, it } from "vitest";
import { scenarioModel } from "@/lib/scheduler";
import { layoutTree } from "./layout";

describe("layoutTree", () => {
  it("should centre a parent over its children and put children one row down", () => {
    const m = scenarioModel("daemon");
    const snap = m.snapshots[4];
    if (!snap) throw new Error("no step 4");
    const { nodes, rows, columns } = layoutTree(snap.processes);
    expect(rows).toBe(3);
    expect(columns).toBe(2);
    expect(nodes.get(101)).toEqual({ pid: 101, x: 0, y: 2 });
    expect(nodes.get(102)).toEqual({ pid: 102, x: 1, y: 2 });
    expect(nodes.get(100)).toEqual({ pid: 100, x: 0.5, y: 1 });
    expect(nodes.get(1)).toEqual({ pid: 1, x: 0.5, y: 0 });
  });

  it("should move an orphan under init after re-parenting", () => {
    const m = scenarioModel("orphan");
    const adopted = m.snapshots.findIndex((s) => s.caption.key === "orphaned");
    const before = layoutTree(m.snapshots[adopted - 1]?.processes ?? []);
    const after = layoutTree(m.snapshots[adopted]?.processes ?? []);
    expect(before.nodes.get(101)?.y).toBe(2);
    expect(after.nodes.get(101)?.y).toBe(1);
    expect(after.nodes.get(101)?.x).not.toBe(after.nodes.get(100)?.x);
  });
});
