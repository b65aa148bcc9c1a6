/**
 * Unit tests for file-limit.ts: how many clients the open-files limit
 * leaves room for, with the figures and words redis-server 7.0.15 gives
 * under the same limits (its log, checked with `ulimit -n`).
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  FileLimitError,
  fitMaxclients,
  openFilesLimit,
  RESERVED_FILE_DESCRIPTORS,
} from "../../src/network/file-limit.ts";

describe("fitMaxclients", () => {
  it("keeps maxclients when it and the 32 reserved fit", () => {
    expect(RESERVED_FILE_DESCRIPTORS).toBe(32);
    expect(fitMaxclients(10000, 20000)).toEqual({
      maxclients: 10000,
      warnings: [],
    });
    expect(fitMaxclients(68, 100)).toEqual({ maxclients: 68, warnings: [] });
  });

  it("keeps it when the limit is unlimited or unknown", () => {
    expect(fitMaxclients(10000, undefined)).toEqual({
      maxclients: 10000,
      warnings: [],
    });
  });

  it("lowers it to the limit less 32, with Redis's three warnings", () => {
    expect(fitMaxclients(1000, 100)).toEqual({
      maxclients: 68,
      warnings: [
        "You requested maxclients of 1000 requiring at least 1032 max file descriptors.",
        "Server can't set maximum open files to 1032 because of OS error: Operation not permitted.",
        "Current maximum open files is 100. maxclients has been reduced to 68 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
      ],
    });
    expect(fitMaxclients(69, 100).maxclients).toBe(68);
    expect(fitMaxclients(10000, 33).maxclients).toBe(1);
  });

  it("refuses when not one client fits, with Redis's message", () => {
    expect(() => fitMaxclients(10000, 32)).toThrow(FileLimitError);
    expect(() => fitMaxclients(10000, 32)).toThrow(
      "Your current 'ulimit -n' of 32 is not enough for the server to start. Please increase your open file limit to at least 10032. Exiting.",
    );
    expect(() => fitMaxclients(1, 20)).toThrow("at least 33. Exiting.");
  });

  it("adds in 32 bits as Redis does: from 4294967264 up, the sum wraps around and fits", () => {
    expect(fitMaxclients(4294967295, 100).maxclients).toBe(4294967295);
    expect(fitMaxclients(4294967264, 100).maxclients).toBe(4294967264);
    expect(fitMaxclients(4294967263, 100).maxclients).toBe(68);
  });
});

describe("openFilesLimit", () => {
  it.skipIf(process.platform === "win32")(
    "is the limit a shell started from this process reports (`ulimit -n`)",
    () => {
      const shell = execFileSync("sh", ["-c", "ulimit -n"], {
        encoding: "utf8",
      }).trim();
      expect(openFilesLimit()).toBe(
        shell === "unlimited" ? undefined : Number(shell),
      );
    },
  );
});
