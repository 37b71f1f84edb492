import { codeUsesName } from './code-uses-name.js';

/**
 * Whether a revision's `upgrade` or `downgrade`, given as its source (`Function.prototype.toString`
 * of the function, as loaded), may read `op.db`: its source names `db` (`op.db`, `const { db } =
 * op`), or it hands its `op` on as a value (`await seed(op)`, `const o = op`, `` `${op}` ``), so
 * that code it calls, such as a helper module it imports, may read it there (a helper's source is
 * not read). Members of `op` (`op.execute(…)`) and `void op` (the empty template's body) keep it
 * in; comments and quoted strings do not count. When unsure, the answer is yes: a wrong yes costs
 * making the bind's Kysely before the run's first step, a wrong no costs making it inside the step.
 *
 * @param source - the function's source.
 * @returns true when the function may read `op.db`.
 * @example
 * ```ts
 * sourceMayReadDb('async function upgrade(op) { await seed(op); }'); // true
 * sourceMayReadDb("async function upgrade(op) { await op.execute('DELETE FROM t'); }"); // false
 * ```
 */
export function sourceMayReadDb(source: string): boolean {
  if (/\bdb\b/.test(source)) return true;
  // The first parameter: `function upgrade(op)`, `async (op) =>`, `op =>`; one destructured
  // without `db` (`({ execute })`) holds nothing to hand on.
  const param = /^[^(=]*?\(\s*([A-Za-z_$][\w$]*)|^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  const name = param?.[1] ?? param?.[2];
  if (!param || name === undefined) return false;
  const escaped = name.replace(/[$]/g, '\\$');
  const rest = source
    .slice(param.index + param[0].length)
    .replace(new RegExp(`(?<![\\w$.])${escaped}\\s*\\??\\.(?=\\s*[A-Za-z_$#])`, 'g'), ' ')
    .replace(new RegExp(`(?<![\\w$.])void\\s+${escaped}(?![\\w$])`, 'g'), ' ');
  return codeUsesName(rest, name);
}
