/**
 * Unit test of `Transaction` (transactions/transaction.ts): a queued
 * command owns its arguments. The parser's arguments are views into its
 * input buffer (protocol/input-buffer.ts); kept until EXEC, a view would
 * keep its whole socket chunk alive, and would see the bytes change if
 * the buffer were ever reused.
 */
import { describe, expect, it } from "vitest";
import { Transaction } from "../../src/transactions/transaction.ts";
import type { CommandSpec } from "../../src/dispatch/command-spec.ts";

const SET = { name: "set" } as CommandSpec;

describe("Transaction.queue", () => {
  it("copies the arguments out of the input chunk, into one buffer of their own", () => {
    const chunk = Buffer.alloc(64 * 1024);
    chunk.write("SETkeyvalue");
    const args = [
      chunk.subarray(0, 3),
      chunk.subarray(3, 6),
      chunk.subarray(6, 11),
    ];
    const transaction = new Transaction();
    transaction.queue(SET, args);
    chunk.fill(0);
    const queued = transaction.queued[0]!.args;
    expect(queued.map(String)).toEqual(["SET", "key", "value"]);
    for (const arg of queued) expect(arg.buffer).not.toBe(chunk.buffer);
    expect(new Set(queued.map((arg) => arg.buffer)).size).toBe(1);
  });
});
