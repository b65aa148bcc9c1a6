/**
 * One client's open transaction: what MULTI starts and EXEC runs. Between
 * the two, each command the client sends is checked as if it were to run
 * (name, arity, AUTH, whether MULTI allows it), then queued here instead,
 * and answered `+QUEUED`. Nothing touches the keyspace until EXEC, which
 * runs the whole queue in one go: no other client's command can come in
 * between, because the server runs one command at a time (chapter 03) and
 * EXEC is one command.
 */
import type { CommandSpec } from "../dispatch/command-spec.ts";

// #region transaction
/** A command waiting for EXEC, with its own copy of its arguments. */
export interface QueuedCommand {
  readonly spec: CommandSpec;
  readonly args: Buffer[];
}

/**
 * What one queued argument costs us beyond its bytes: the Buffer that
 * views it and its slot in the array, roughly (the parser's own estimate).
 */
const ARGUMENT_OVERHEAD_BYTES = 100;

export class Transaction {
  readonly queued: QueuedCommand[] = [];
  /** What the queue holds, bytes and overhead: what the bound is checked against. */
  queuedBytes = 0;
  /**
   * Set when a command could not be queued (unknown, wrong arity, not
   * allowed in MULTI, over the bound): EXEC will refuse the whole
   * transaction with EXECABORT. Redis's CLIENT_DIRTY_EXEC.
   */
  failed = false;

  /** What queueing `args` would add to `queuedBytes`. */
  static costOf(args: readonly Buffer[]): number {
    let bytes = 0;
    for (const arg of args) bytes += arg.length + ARGUMENT_OVERHEAD_BYTES;
    return bytes;
  }

  /**
   * Queues a command. The parser's arguments are views into the socket's
   * input (protocol/input-buffer.ts), fine while a command runs but not to
   * keep: a 3-byte argument would pin its whole 64 KB chunk until EXEC. So
   * they are copied out, into one buffer per command.
   */
  queue(spec: CommandSpec, args: readonly Buffer[]): void {
    const copy = Buffer.concat(args);
    const own: Buffer[] = [];
    let offset = 0;
    for (const arg of args) {
      own.push(copy.subarray(offset, offset + arg.length));
      offset += arg.length;
    }
    this.queued.push({ spec, args: own });
    this.queuedBytes += Transaction.costOf(args);
  }

  /**
   * Marks the transaction as refused: EXEC will run none of it. What was
   * queued stays until EXEC or DISCARD, as in Redis (CLIENT LIST still
   * counts it); nothing more is queued (command-table.ts), so the queue
   * stays within its bound.
   */
  fail(): void {
    this.failed = true;
  }
}
// #endregion transaction
