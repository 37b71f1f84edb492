import type { MigrationEnvironment } from '../runtime/environment.js';
import type { OfflineSnapshots } from '../runtime/offline-snapshots.js';
import { OfflineScriptWriter, type OfflineBind, type OfflineScript, type OfflineStep } from '../runtime/offline-script-writer.js';
import { loadRevisionModule, type RevisionModule } from '../script/module-loader.js';
import { planUpgrade, type Plan } from '../script/planner.js';
import type { RevisionMap } from '../script/revision-map.js';

/**
 * What an {@link OfflineScriptWriter} needs of a bind, from the environment: the pure dialect
 * (its module loads, no driver and no connection), version table, naming convention, schema and
 * transaction mode.
 * @example
 * ```ts
 * const writer = new OfflineScriptWriter(await offlineBind(env, 'db2'));
 * ```
 */
export async function offlineBind(env: MigrationEnvironment, bind: string, xArgs?: Readonly<Record<string, string>>): Promise<OfflineBind> {
  const schema = env.bind(bind).config.schema;
  return {
    bind,
    dialect: await env.dialect(bind),
    versionTable: env.versionTable(bind),
    namingConvention: env.namingConvention,
    transactionMode: env.loaded.config.transactionMode ?? 'per-revision',
    ...(schema !== undefined ? { schema } : {}),
    ...(xArgs ? { xArgs } : {}),
  };
}

/**
 * The offline scripts of an upgrade or downgrade plan: every module of the plan is imported first
 * (as a run validates before its first BEGIN), then one script per bind with steps, a bind whose
 * revision another bind's waits for (depends-on) before that bind, else in the order their first
 * step comes in the plan (see {@link scriptOrder}). A
 * script that starts above base follows the bind's revisions from base to its start first (no SQL
 * written; see `OfflineScriptWriter.run`'s `history`), so a SQLite rebuild of a table they made
 * needs no `copyFrom`. Where binds wait for each other both ways (no order of whole scripts keeps
 * every depends-on), the script placed before one it waits for carries a warning saying so.
 * @throws `ScriptError` (a module that does not import), `OfflineError`.
 * @example
 * ```ts
 * const scripts = await planScripts(env, planUpgrade(map, states, targets), 'upgrade', { tenant: 'acme' });
 * ```
 */
export async function planScripts(env: MigrationEnvironment, plan: Plan, command: 'upgrade' | 'downgrade', xArgs?: Readonly<Record<string, string>>): Promise<OfflineScript[]> {
  const modules = new Map<string, RevisionModule>();
  for (const step of plan.steps) {
    if (!modules.has(step.revision)) modules.set(step.revision, await loadRevisionModule(env.loader, step.script));
  }
  const steps = new Map<string, OfflineStep[]>();
  for (const step of plan.steps) {
    let list = steps.get(step.bind);
    if (!list) steps.set(step.bind, (list = []));
    list.push({ step, module: modules.get(step.revision)! });
  }
  const scripts: OfflineScript[] = [];
  const { order, early } = scriptOrder(plan, await env.revisionMap());
  for (const bind of order) {
    const list = steps.get(bind)!;
    const history = await historyOf(env, bind, list[0]!.step.headsBefore, modules);
    const script = await new OfflineScriptWriter(await offlineBind(env, bind, xArgs)).run(command, list, history);
    const waits = early.get(bind);
    scripts.push(waits ? { ...script, warnings: [...(script.warnings ?? []), earlyWarning(bind, waits, command)] } : script);
  }
  return scripts;
}

/** A step of one bind that waits for a revision of another bind (depends-on), in the plan. */
interface Wait {
  /** The revision that waits. */
  readonly revision: string;
  /** The other bind. */
  readonly bind: string;
  /** The other bind's revision it waits for. */
  readonly waitsFor: string;
}

/**
 * The warning of a bind whose script had to come before a script it waits for (binds that wait
 * for each other both ways): the first depends-on it breaks, and how to get a correct order.
 */
function earlyWarning(bind: string, waits: readonly Wait[], command: 'upgrade' | 'downgrade'): string {
  const first = waits[0]!;
  const others = [...new Set(waits.map((w) => w.bind))];
  const relation = command === 'upgrade' ? 'depends on' : 'is depended on by';
  return (
    `its section comes before ${others.map((o) => `${o}'s`).join(' and ')}, though ${first.revision} ${relation} ${first.bind}'s ${first.waitsFor}: ` +
    `${bind} and ${others.join(', ')} wait for each other's revisions (depends-on both ways), so no order of whole sections keeps every depends-on ` +
    `(they are in plan order). Write the SQL in parts with ranges (BIND@FROM:TO) that each keep it, or ${command} online.`
  );
}

/**
 * The binds of a plan with steps, in the order their scripts are to run, each script whole: a
 * bind whose step another bind's step waits for (the depends-on of an upgrade, the dependent of a
 * downgrade, in another branch) comes before that bind, even when the plan starts with the other
 * bind's earlier steps (`db2`'s first revisions, then `analytics`, then the `db2` revision that
 * depends on it: `analytics` first). Otherwise, and where the binds wait for each other both ways
 * (no order of whole scripts can then keep every depends-on), the order their first step comes
 * in the plan: `early` then names each bind whose script comes before a script it waits for, with
 * the steps of it that wait.
 */
function scriptOrder(plan: Plan, map: RevisionMap): { order: string[]; early: Map<string, Wait[]> } {
  const binds = new Set<string>(); // in the order of their first step
  const where = new Map<string, string[]>(); // revision -> the binds that run it in the plan
  for (const step of plan.steps) {
    binds.add(step.bind);
    where.set(step.revision, [...(where.get(step.revision) ?? []), step.bind]);
  }
  const before = new Map<string, Set<string>>([...binds].map((b) => [b, new Set<string>()])); // bind -> binds to run first
  const waits = new Map<string, Wait[]>([...binds].map((b) => [b, []])); // bind -> its steps that wait on another bind
  for (const step of plan.steps) {
    const waitsFor = plan.direction === 'up' ? map.dependencies(step.revision) : map.dependents(step.revision);
    for (const other of waitsFor) {
      if (map.get(other).branch === step.script.branch) continue;
      for (const bind of where.get(other) ?? []) {
        if (bind === step.bind) continue;
        before.get(step.bind)!.add(bind);
        waits.get(step.bind)!.push({ revision: step.revision, bind, waitsFor: other });
      }
    }
  }
  const order = new Set<string>();
  const early = new Map<string, Wait[]>();
  const left = [...binds];
  while (left.length) {
    const ready = left.findIndex((b) => [...before.get(b)!].every((o) => order.has(o)));
    const bind = left.splice(ready === -1 ? 0 : ready, 1)[0]!;
    // None is ready: binds that wait for each other; the first in plan order goes first, before what it waits for.
    if (ready === -1) early.set(bind, waits.get(bind)!.filter((w) => !order.has(w.bind)));
    order.add(bind);
  }
  return { order: [...order], early };
}

/**
 * What offline mode (`--sql`) knows of `bind`'s tables when its script starts at `heads`: the
 * shapes its revisions from base to there make, as a script starting there follows them (see
 * {@link planScripts}). A table it does not know (made before the first revision, e.g. an adopted
 * database; or one a revision made in a way offline mode cannot follow) needs `copyFrom` for a
 * SQLite rebuild offline. Autogenerate uses it to render `copyFrom` only where it is needed.
 * @param env - the loaded project.
 * @param bind - the bind's name.
 * @param heads - the revisions the script would start at (default: its branch's heads).
 * @returns the known shapes ({@link OfflineSnapshots}: `knows(table)`, `observe(op)` to follow more).
 * @throws `ScriptError` (a module of that history that does not import).
 * @example
 * ```ts
 * const known = await offlineSnapshotsAt(env, 'db2');
 * if (!known.knows('Invoice')) console.log('a rebuild of Invoice offline needs copyFrom');
 * ```
 */
export async function offlineSnapshotsAt(env: MigrationEnvironment, bind: string, heads?: readonly string[]): Promise<OfflineSnapshots> {
  const at = heads ?? (await env.revisionMap()).heads(env.bind(bind).branch);
  const history = await historyOf(env, bind, at, new Map());
  return new OfflineScriptWriter(await offlineBind(env, bind)).follow(history);
}

/**
 * The upgrade steps of `bind` from base to `heads` (where its script starts), with their modules,
 * for the writer to follow. `[]` from base, and when no such plan can be made (the writer then
 * knows only what the script makes, as from base).
 * @throws `ScriptError` (a module that does not import).
 */
async function historyOf(env: MigrationEnvironment, bind: string, heads: readonly string[], modules: Map<string, RevisionModule>): Promise<OfflineStep[]> {
  if (heads.length === 0) return [];
  let plan: Plan;
  try {
    const atBase = env.binds.map((b) => ({ bind: b.name, branch: b.branch, heads: [] }));
    plan = planUpgrade(await env.revisionMap(), atBase, heads.map((head) => `${bind}@${head}`));
  } catch {
    return [];
  }
  const history: OfflineStep[] = [];
  for (const step of plan.steps) {
    if (step.bind !== bind) continue;
    let module = modules.get(step.revision);
    if (!module) modules.set(step.revision, (module = await loadRevisionModule(env.loader, step.script)));
    history.push({ step, module });
  }
  return history;
}
