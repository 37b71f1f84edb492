import type { FanOut } from '../script/planner.js';

/** A step of a plan as events describe it. */
export interface StepInfo {
  /** The bind the step runs on. */
  readonly bind: string;
  /** The revision it runs. */
  readonly revision: string;
  /** `'up'` (upgrade) or `'down'` (downgrade). */
  readonly direction: 'up' | 'down';
  /** 1-based position within the bind's steps. */
  readonly index: number;
  /** Number of steps of the bind. */
  readonly total: number;
  /** The revision's message. */
  readonly message: string;
  /** Down revisions of the revision (`[]` for a branch root). */
  readonly downRevisions: readonly string[];
  /** Heads of the bind before the step (`[]` at base). */
  readonly from: readonly string[];
}

/**
 * How the run's signal (`RunOptions.signal`, a stamp's `StampRunOptions.signal`) left a bind, in
 * its `bind-done` event:
 * - `'stopped'`: the bind was locked and read; it ran its steps until the signal (maybe none) and
 *   stands at its `heads`, rows its version table records; the steps it did not run are the
 *   run's `InterruptedError.pending` (or `RunError.interrupted`'s). A stamp: its version table
 *   was not written yet, and holds `heads`;
 * - `'not-started'`: its turn never came (a group of tenants not started, a connect or a lock not
 *   completed): nothing was read or changed there (`heads` is `[]`: not read).
 */
export type BindInterrupted = 'stopped' | 'not-started';

/**
 * What a run reports, in order (DESIGN §8). The CLI turns them into lines, the TUI into live
 * progress, custom tooling into whatever it likes. Every event names its bind.
 */
export type RunEvent =
  | {
      readonly type: 'plan';
      readonly steps: readonly StepInfo[];
      /**
       * Targets that named a revision or label of a branch several binds share, and so act on
       * every one of them (the CLI says `Upgrading 3 binds on branch tenant: t1, t2, t3`).
       * The runner always sets it (`[]` when none); absent from events made elsewhere.
       */
      readonly fanOut?: readonly FanOut[];
      /**
       * The binds this plan covers (sorted). A run of one group (binds a plan orders together)
       * sends one `plan` for all its binds. A run of independent groups (tenants: binds sharing a
       * branch that no depends-on links) plans each group on its own, under that group's locks,
       * so it sends one `plan` per group, just before that group runs, each naming only the
       * group's binds and steps; a bind of the run no `plan` has named yet is not planned yet (not
       * "nothing to do"). The run's `fanOut` comes with the first `plan` only. Absent from events
       * made elsewhere.
       */
      readonly binds?: readonly string[];
    }
  | { readonly type: 'lock-wait'; readonly bind: string }
  | { readonly type: 'lock-acquired'; readonly bind: string; readonly waitedMs: number }
  | ({ readonly type: 'step-start' } & StepInfo)
  /** A step completed; `elapsedMs` as the run's `StepResult.elapsedMs` (its own time, in milliseconds). */
  | ({ readonly type: 'step-done'; readonly elapsedMs: number } & StepInfo)
  | ({ readonly type: 'step-failed'; readonly error: Error } & StepInfo)
  | { readonly type: 'stamp'; readonly bind: string; readonly from: readonly string[]; readonly to: readonly string[] }
  /**
   * Something a step does that does not stop it but that the user should know about, sent before
   * the op it concerns is sent: `IDENTIFIER_TRUNCATED`, an op that gives the database a name longer
   * than it keeps, which it truncates (PostgreSQL, 63 bytes; see `checkIdentifierLimit`). The CLI
   * prints `[bind] WARNING: message` on stderr.
   */
  | { readonly type: 'warning'; readonly bind: string; readonly revision: string; readonly file?: string; readonly code: 'IDENTIFIER_TRUNCATED'; readonly message: string }
  /**
   * A bind ended: `ok` with its heads after the run, or stopped with the heads it stays at. A bind
   * of an independent group that could not be connected or read (concurrency > 1) ends with
   * `ok: false` and `heads: []` (not read). A bind the run's signal stopped (`RunOptions.signal`;
   * nothing failed there) ends with `ok: false` and `interrupted` (see {@link BindInterrupted}),
   * just before `run-done`. A stamp sends the same: `ok: true` with the rows it wrote, just after
   * the bind's `stamp` event; `ok: false` for a bind whose write failed, or with `interrupted` for
   * one its signal stopped (`StampRunOptions.signal`); a bind it had nothing to change, none.
   */
  | { readonly type: 'bind-done'; readonly bind: string; readonly ok: boolean; readonly heads: readonly string[]; readonly interrupted?: BindInterrupted }
  | { readonly type: 'run-done'; readonly ok: boolean; readonly elapsedMs: number };

/** A listener of run events. It must not throw; errors it throws are ignored. */
export type RunListener = (event: RunEvent) => void;
