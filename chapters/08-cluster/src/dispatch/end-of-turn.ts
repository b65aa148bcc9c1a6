/**
 * The end of a turn of the event loop: Redis's `beforeSleep`, the work
 * done once after all the input of a turn has been read and its commands
 * run, before the process waits for more.
 *
 * Two things belong there, in this order, as in Redis: clients blocked on
 * keys that became ready are served (blocked-clients.ts), then the AOF
 * writes the turn's records in one write (aof.ts), after which the
 * replies of the turn go out. Each part adds its step once, and asks for
 * the end of the turn whenever it has work for it.
 */

// #region end-of-turn
export class EndOfTurn {
  readonly #steps: (() => void)[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  /** Adds a step, run at every end of turn after the steps added before it. */
  add(step: () => void): void {
    this.#steps.push(step);
  }

  /**
   * Asks for the steps to run at the end of this turn. `setImmediate` runs
   * after the I/O callbacks of the turn (Node's "check" phase): every
   * client whose bytes arrived in this turn has had its commands run.
   */
  schedule(): void {
    this.#scheduled ??= setImmediate(() => this.run());
  }

  /** Runs the steps now (also at shutdown, so nothing waits for a turn that never comes). */
  run(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    for (const step of this.#steps) step();
  }
}
// #endregion end-of-turn
