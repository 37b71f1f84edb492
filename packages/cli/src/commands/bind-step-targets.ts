import { UsageError } from '../usage-error.js';

const STEP = /^([+-])(\d+)$/;

/**
 * A bare relative step among `targets` (`+N`, `-N`: the first one) and the targets that are a
 * configured bind's name, in the order given, whichever comes first on the command line: what
 * Alembic's `upgrade +1` / `downgrade -1` with a bind beside it was meant as (`analytics@+1`).
 * A revision or branch label beside a step is not a bind: it is not in `named`.
 *
 * @param targets - the targets as given on the command line.
 * @param binds - the configured binds' names.
 * @returns the step and the bind names, or `undefined` when there is no bare step or no bind name.
 * @example
 * ```ts
 * bindsBesideStep(['-1', 'db2'], ['default', 'db2']); // { step: '-1', named: ['db2'] }
 * bindsBesideStep(['bb01', '-1'], ['default', 'db2']); // undefined: bb01 is a revision, not a bind
 * ```
 */
export function bindsBesideStep(targets: readonly string[], binds: readonly string[]): { readonly step: string; readonly named: readonly string[] } | undefined {
  const step = targets.map((t) => t.trim()).find((t) => STEP.test(t));
  const named = targets.map((t) => t.trim()).filter((t) => binds.includes(t));
  return step === undefined || named.length === 0 ? undefined : { step, named };
}

/**
 * Refuses the targets of `migrate upgrade` or `migrate stamp` when one is a bare relative step
 * (`+N`, `-N`) and another a bind's name: `upgrade analytics +1` reads as two targets, `analytics`
 * (to its head) and `+1` (every bind one revision up), so it would move binds the command line
 * never named. Alembic's `upgrade +1` with the bind in front is written `analytics@+1`, which the
 * error says (`-N` on upgrade: `downgrade analytics@-1`). Every other list passes: `+1` alone,
 * `analytics@+1`, `analytics db2`, `+1 db2@head`, a revision or branch label beside a step.
 *
 * @param command - the verb, for the message.
 * @param targets - the targets as given on the command line.
 * @param binds - the configured binds' names.
 * @throws {@link UsageError} (exit 2) for a bind name and a bare step among the targets.
 * @example
 * ```ts
 * refuseBindAndStep('upgrade', ['analytics@+1'], ['default', 'analytics']); // passes
 * refuseBindAndStep('upgrade', ['analytics', '+1'], ['default', 'analytics']); // throws: … write 'analytics@+1' …
 * ```
 */
export function refuseBindAndStep(command: 'upgrade' | 'stamp', targets: readonly string[], binds: readonly string[]): void {
  const beside = bindsBesideStep(targets, binds);
  if (beside === undefined) return;
  const { step, named } = beside;
  const [, sign, digits] = STEP.exec(step)!;
  const up = sign === '+';
  const steps = `${digits} revision${digits === '1' ? '' : 's'} ${up ? 'up' : 'back'}`;
  const written = named.map((b) => `${b}@${step}`).join(' ');
  // A downgrade takes one target: one command per bind.
  const fix = command === 'upgrade' && !up ? named.map((b) => `downgrade ${b}@${step}`).join("', then '") : written;
  const who = named.map((b) => `'${b}'`).join(', ');
  throw new UsageError(
    `'${command} ${targets.join(' ')}' gives ${who} and '${step}' as separate targets: ${who} to ${named.length === 1 ? 'its head' : 'their heads'}, and '${step}' every bind ${steps}` +
      `${command === 'upgrade' && !up ? ' (which an upgrade cannot do)' : ''}. To ${command === 'stamp' ? 'stamp' : 'step'} only ${who} ${steps}, write '${fix}'.`,
  );
}
