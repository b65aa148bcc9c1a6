/**
 * Unit tests for the slot-migration markers of nodes-file.ts: this node's
 * line ends with `[slot->-id]` for a slot it is migrating and `[slot-<-id]`
 * for one it is importing (a slot doing both shows only the first, as in
 * Redis), and loading the file brings both states back, even when the
 * marker names a node the file has no line for. A marker that cannot be
 * read stops the load, as a corrupted file does in Redis.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterNode, NodeFlag } from "../../src/cluster/cluster-node.ts";
import { ClusterState } from "../../src/cluster/cluster-state.ts";
import {
  describeNode,
  loadNodesFile,
  NodesFileError,
  saveNodesFile,
} from "../../src/cluster/nodes-file.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);

function newState(myself?: ClusterNode): ClusterState {
  return new ClusterState(
    () => 1_000_000,
    () => {},
    myself ?? new ClusterNode(A, NodeFlag.MYSELF | NodeFlag.MASTER, 0),
  );
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

function fileIn(): string {
  const folder = mkdtempSync(join(tmpdir(), "nodes-file-"));
  folders.push(folder);
  return join(folder, "nodes.conf");
}

describe("migration markers in nodes.conf", () => {
  it("end this node's own line, in slot order, migrating first", () => {
    const state = newState();
    const other = new ClusterNode(B, NodeFlag.MASTER, 0);
    state.addNode(other);
    state.assignSlot(5, state.myself);
    state.assignSlot(7, other);
    state.migratingTo[5] = other;
    state.importingFrom[7] = other;
    state.importingFrom[5] = other;
    const line = describeNode(state, state.myself, true);
    expect(line.endsWith(` 5 [5->-${B}] [7-<-${B}]`)).toBe(true);
    expect(describeNode(state, other, true)).not.toContain("[");
  });

  it("come back when the file is loaded, with a node for an unknown name", () => {
    const path = fileIn();
    const state = newState();
    const other = new ClusterNode(B, NodeFlag.MASTER, 0);
    state.addNode(other);
    state.assignSlot(5, state.myself);
    state.migratingTo[5] = other;
    state.importingFrom[9] = other;
    saveNodesFile(path, state, () => true);

    const loaded = newState();
    expect(loadNodesFile(path, loaded)).toBe(true);
    expect(loaded.migratingTo[5]?.name).toBe(B);
    expect(loaded.importingFrom[9]?.name).toBe(B);
    expect(loaded.migratingTo[9]).toBeUndefined();

    const c = "c".repeat(40);
    writeFileSync(
      path,
      `${A} 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 5 [6-<-${c}]\nvars currentEpoch 1 lastVoteEpoch 0\n`,
    );
    const third = newState();
    loadNodesFile(path, third);
    expect(third.importingFrom[6]?.name).toBe(c);
    expect(third.nodes.get(c)?.flagNames()).toBe("noflags");
  });

  it("that cannot be read stop the load", () => {
    const path = fileIn();
    for (const marker of [
      "[5->-abc]",
      "[16384-<-" + B + "]",
      "[x->-" + B + "]",
    ]) {
      writeFileSync(
        path,
        `${A} 127.0.0.1:7000@17000 myself,master - 0 0 1 connected ${marker}\n`,
      );
      expect(() => loadNodesFile(path, newState())).toThrow(NodesFileError);
    }
  });
});
