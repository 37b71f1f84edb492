import { UsageError } from '../usage-error.js';

const STEP = /^([+-])(\d+)$/;
/** `head-N`, `base+N`: counted from each bind's head or base (the forms of core's parseTarget). */
const OFFSET = /^(head-|base\+)(\d+)$/;

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
  // A bind named like a step (`-1`) is that bind (a bind name wins, as parseTarget reads it).
  const step = targets.map((t) => t.trim()).find((t) => !binds.includes(t) && STEP.test(t));
  const named = targets.map((t) => t.trim()).filter((t) => binds.includes(t));
  return step === undefined || named.length === 0 ? undefined : { step, named };
}

/**
 * Refuses the targets of `migrate upgrade` or `migrate stamp` when one is a bare relative step
 * (`+N`, `-N`) or a bare count from the head or base (`head-N`, `base+N`) and another a bind's
 * name: `upgrade analytics +1` reads as two targets, `analytics` (to its head) and `+1` (every
 * bind one revision up), so it would move binds the command line never named; so does
 * `upgrade analytics head-1`. Alembic's `upgrade +1` with the bind in front is written
 * `analytics@+1` (`analytics@head-1`), which the error says (`-N` on upgrade: `downgrade
 * analytics@-1`). Every other list passes: `+1` alone, `analytics@+1`, `analytics db2`,
 * `+1 db2@head`, a revision or branch label beside a step.
 *
 * @param command - the verb, for the message.
 * @param targets - the targets as given on the command line.
 * @param binds - the configured binds' names.
 * @throws {@link UsageError} (exit 2) for a bind name and a bare step (or count from the head or base) among the targets.
 * @example
 * ```ts
 * refuseBindAndStep('upgrade', ['analytics@+1'], ['default', 'analytics']); // passes
 * refuseBindAndStep('upgrade', ['analytics', '+1'], ['default', 'analytics']); // throws: … write 'analytics@+1' …
 * refuseBindAndStep('upgrade', ['analytics', 'head-1'], ['default', 'analytics']); // throws: … write 'analytics@head-1' …
 * ```
 */
export function refuseBindAndStep(command: 'upgrade' | 'stamp', targets: readonly string[], binds: readonly string[]): void {
  const named = targets.map((t) => t.trim()).filter((t) => binds.includes(t));
  if (named.length === 0) return;
  const who = named.map((b) => `'${b}'`).join(', ');
  const heads = named.length === 1 ? 'its head' : 'their heads';
  // A bind named `head-1` is that bind (a bind name wins, as parseTarget reads it).
  const counted = targets.map((t) => t.trim()).find((t) => !binds.includes(t) && OFFSET.test(t));
  if (counted !== undefined) {
    const [, from, digits] = OFFSET.exec(counted) as unknown as [string, 'head-' | 'base+', string];
    const count = `${digits} revision${digits === '1' ? '' : 's'}`;
    const where = (whose: string) => (from === 'head-' ? `${count} below ${whose} head` : `${count} above base`);
    throw new UsageError(
      `'${command} ${targets.join(' ')}' gives ${who} and '${counted}' as separate targets: ${who} to ${heads}, and '${counted}' every bind to ${where('its')}. ` +
        `To ${command === 'stamp' ? 'stamp' : 'take'} only ${who} to ${where(named.length === 1 ? 'its' : 'their')}, write '${named.map((b) => `${b}@${counted}`).join(' ')}'.`,
    );
  }
  const beside = bindsBesideStep(targets, binds);
  if (beside === undefined) return;
  const { step } = beside;
  const written = named.map((b) => `${b}@${step}`).join(' ');
  const [, sign, digits] = STEP.exec(step)!;
  const up = sign === '+';
  const steps = `${digits} revision${digits === '1' ? '' : 's'} ${up ? 'up' : 'back'}`;
  // A downgrade takes one target: one command per bind.
  const fix = command === 'upgrade' && !up ? named.map((b) => `downgrade ${b}@${step}`).join("', then '") : written;
  throw new UsageError(
    `'${command} ${targets.join(' ')}' gives ${who} and '${step}' as separate targets: ${who} to ${heads}, and '${step}' every bind ${steps}` +
      `${command === 'upgrade' && !up ? ' (which an upgrade cannot do)' : ''}. To ${command === 'stamp' ? 'stamp' : 'step'} only ${who} ${steps}, write '${fix}'.`,
  );
}
