/**
 * `client-output-buffer-limit` for ordinary clients: the last resort against
 * a client that does not take its replies.
 *
 * The client loop already stops running a client's commands while it is
 * behind (client-loop.ts), so a pipeline cannot pile up replies. What it
 * cannot stop is one reply that is big by itself: a GET of a 200 MB value
 * is one Buffer, sent whole. These limits bound what such a client may
 * leave in our memory, with Redis's rules:
 *
 * - the hard limit: at or over it, the client is disconnected at once;
 * - the soft limit: at or over it for more than `softSeconds` in a row,
 *   the client is disconnected; dropping under it starts the count again.
 *
 * A limit of 0 is no limit. What counts is what waits in our memory (the
 * socket's queue), not what the kernel has already taken.
 */
import type { OutputBufferLimit } from "../config/output-buffer-limits.ts";

// #region output-limit
export class OutputLimit {
  /** When the queue first reached the soft limit, in ms; undefined while under it. */
  #softSince: number | undefined;

  /** Whether the soft limit is reached now (and a later check may end the client). */
  get overSoftLimit(): boolean {
    return this.#softSince !== undefined;
  }

  /**
   * Looks at the client's queue, `pendingBytes`, at time `now` (ms), and
   * says which limit it broke, if any.
   */
  check(
    pendingBytes: number,
    now: number,
    limit: OutputBufferLimit,
  ): "hard" | "soft" | undefined {
    const { hardBytes, softBytes } = limit;
    if (hardBytes > 0 && pendingBytes >= hardBytes) return "hard";
    if (softBytes === 0 || softBytes === 0n || pendingBytes < softBytes) {
      this.#softSince = undefined;
      return undefined;
    }
    this.#softSince ??= now;
    // Redis counts whole seconds and needs more than `softSeconds` of them.
    const seconds = Math.floor((now - this.#softSince) / 1000);
    return seconds > limit.softSeconds ? "soft" : undefined;
  }
}
// #endregion output-limit
