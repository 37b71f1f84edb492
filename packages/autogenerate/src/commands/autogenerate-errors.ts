import { ConfigError, MultidbError } from '@multidb/core';

/**
 * Autogenerate was asked to compare a bind that is not at the head of its branch (Alembic's
 * "Target database is not up to date"): the comparison would describe revisions already written.
 */
export class TargetNotUpToDateError extends MultidbError {
  readonly bind: string;
  /** The bind's version-table rows. */
  readonly current: readonly string[];
  /** The heads of its branch. */
  readonly heads: readonly string[];
  constructor(bind: string, current: readonly string[], heads: readonly string[]) {
    super(
      `[${bind}] Target database is not up to date: it is at ${current.join(', ') || '<base>'}, its branch's head is ${heads.join(', ') || '<base>'}. ` +
        `Run 'migrate upgrade ${bind}' first.`,
      'NOT_UP_TO_DATE',
    );
    this.bind = bind;
    this.current = current;
    this.heads = heads;
  }
}

/** A bind's models module cannot be used: missing, not loading, or not exporting `defineModels(…)`. */
export class ModelsError extends ConfigError {
  readonly bind: string;
  constructor(bind: string, file: string, why: string, options?: { cause?: unknown }) {
    super(`[${bind}] models ${file}: ${why}`, file, options);
    this.bind = bind;
  }
}
