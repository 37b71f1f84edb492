import type { RenameDecisions } from './compare-options.js';
import { formatRenameArgument, parseRenameArgument, type RenameArgument } from './rename-argument.js';
import { RenameArgumentError } from './rename-argument-error.js';
import type { RenameCandidate } from './rename-candidate.js';
import { RenameDecisionRequiredError } from './rename-decision-required-error.js';

/** The candidates to rename, and the decisions that matched no candidate. */
export interface ResolvedRenames {
  readonly accepted: readonly RenameCandidate[];
  /** Each decision no candidate matched, as the command line gives it: `--rename t.a=t.b`, `--no-rename t=u`. */
  readonly unmatched: readonly string[];
}

/** What a rename renames, and what it renames it to: two accepted renames may share neither. */
function ends(c: RenameCandidate): [string, string] {
  const owner = `${c.kind}\u0000${c.schema ?? ''}\u0000${c.table}`;
  return c.kind === 'table' ? [`${owner}`, `${c.kind}\u0000${c.schema ?? ''}\u0000\u0000${c.newName}`] : [`${owner}\u0000${c.column}`, `${owner}\u0001${c.newName}`];
}

/**
 * Applies rename decisions to the candidates. A candidate is renamed when accepted; dropped and
 * added when rejected, or when an accepted rename already uses its old or new table or column.
 *
 * @param candidates - every candidate of the comparison.
 * @param decisions - the decisions.
 * @param bind - the bind compared, named in the errors.
 * @param alias - a decision as the candidates name it (a column of a renamed table named by the
 *   table's old name, by its new one); a decision that matches nothing is reported as given.
 * @throws {@link RenameDecisionRequiredError} listing every other candidate when any has no decision.
 * @throws {@link RenameArgumentError} for a decision text that does not parse, a rename both
 *   accepted and rejected, or two accepted renames of (or to) the same table or column.
 */
export function resolveRenameDecisions(
  candidates: readonly RenameCandidate[],
  decisions: RenameDecisions | undefined,
  bind?: string,
  alias: (rename: RenameArgument) => RenameArgument = (r) => r,
): ResolvedRenames {
  const parse = (d: RenameCandidate | string) => (typeof d === 'string' ? parseRenameArgument(d) : d);
  // The decisions by the text their candidate would have, each with the text it was given as.
  const byText = (list: readonly (RenameCandidate | string)[]) => new Map(list.map((d) => [formatRenameArgument(alias(parse(d))), formatRenameArgument(parse(d))] as const));
  const accept = byText(decisions?.accept ?? []);
  const reject = byText(decisions?.reject ?? []);
  for (const t of accept.keys()) {
    if (reject.has(t)) throw new RenameArgumentError(`Rename '${t}' is both accepted (--rename) and rejected (--no-rename): choose one.`, t);
  }
  const accepted = candidates.filter((c) => accept.has(c.argument));
  const used = new Map<string, RenameCandidate>();
  for (const c of accepted) {
    for (const end of ends(c)) {
      const other = used.get(end);
      if (other) {
        throw new RenameArgumentError(`Renames '${other.argument}' and '${c.argument}' are both accepted, but they rename the same ${c.kind}: accept one.`, c.argument);
      }
      used.set(end, c);
    }
  }
  const undecided = candidates.filter((c) => !accept.has(c.argument) && !reject.has(c.argument) && !ends(c).some((e) => used.has(e)));
  if (undecided.length) throw new RenameDecisionRequiredError(undecided, bind);
  const known = new Set(candidates.map((c) => c.argument));
  const unmatched = [
    ...[...accept].filter(([t]) => !known.has(t)).map(([, given]) => `--rename ${given}`),
    ...[...reject].filter(([t]) => !known.has(t)).map(([, given]) => `--no-rename ${given}`),
  ];
  return { accepted, unmatched };
}
