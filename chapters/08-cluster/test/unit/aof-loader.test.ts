/**
 * What start-up reports after replaying the AOF: main.ts prints
 * `describeLoad()` before the banner, as Redis logs "DB loaded from append
 * only file", so a long replay never looks like a hang.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/server.ts";
import { describeLoad } from "../../src/persistence/aof-loader.ts";
import { encodeCommand } from "../../src/persistence/aof-format.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0))
    rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "aof-loader-unit-"));
  folders.push(dir);
  return dir;
}

describe("the start-up report of an AOF replay", () => {
  it("counts the commands replayed and the keys they left", async () => {
    const dir = folder();
    writeFileSync(
      join(dir, "appendonly.aof"),
      Buffer.concat([
        encodeCommand(["SELECT", "0"]),
        encodeCommand(["SET", "a", "1"]),
        encodeCommand(["SET", "b", "2"]),
        encodeCommand(["DEL", "a"]),
        encodeCommand(["SELECT", "3"]),
        encodeCommand(["SET", "c", "3"]),
      ]),
    );
    const server = await startServer({ port: 0, dir, appendonly: true });
    try {
      expect(server.loaded).toMatchObject({
        path: join(dir, "appendonly.aof"),
        found: true,
        commands: 6,
        keys: 2,
      });
      expect(describeLoad(server.loaded!)).toMatch(
        /^DB loaded from append only file: \d+\.\d{3} seconds \(.*appendonly\.aof: 6 commands replayed, 2 keys\)\.$/,
      );
    } finally {
      await server.close();
    }
  });

  it("says so when there is no file yet", async () => {
    const dir = folder();
    const server = await startServer({ port: 0, dir, appendonly: true });
    try {
      expect(server.loaded).toMatchObject({
        found: false,
        commands: 0,
        keys: 0,
      });
      expect(describeLoad(server.loaded!)).toBe(
        `No append only file at ${join(dir, "appendonly.aof")} yet: starting empty.`,
      );
    } finally {
      await server.close();
    }
  });

  it("reports nothing when appendonly is off", async () => {
    const server = await startServer({ port: 0, dir: folder() });
    try {
      expect(server.loaded).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
