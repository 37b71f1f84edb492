import { UsageError } from '../usage-error.js';

const STEP = /^([+-])(\d+)$/;

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
  const step = targets.map((t) => t.trim()).find((t) => STEP.test(t));
  const named = targets.map((t) => t.trim()).filter((t) => binds.includes(t));
  if (step === undefined || named.length === 0) return;
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
