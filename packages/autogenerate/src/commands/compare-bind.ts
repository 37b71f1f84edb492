import { resolve } from 'node:path';
import { checkOptions, DatabaseNotFoundError, describeWrites, isModels, keysOf, PartlyAppliedError, resolveModels, type AutogenerateOptions, type DatabaseSnapshot, type Dialect, type DialectCapabilities, type DialectConnection, type IndexSnapshot, type MigrationEnvironment, type Models, type Op, type RevisionMap, type SchemaComparator, type Statement, type TypeSubstitution } from '@multidb/core';
import { compareSchemas } from '../compare/compare-schemas.js';
import type { RenameDecisions } from '../compare/compare-options.js';
import type { Comparison } from '../compare/detected-change.js';
import { renameCandidates } from '../compare/decide-renames.js';
import { prepareComparison } from '../compare/prepare-comparison.js';
import { formatRenameArgument, parseRenameArgument, type RenameArgument } from '../compare/rename-argument.js';
import type { RenameCandidate } from '../compare/rename-candidate.js';
import { IncludeFilter } from '../compare/include-filter.js';
import { enumLabelsOverLimit, namesOverLimit, renameNamesOverLimit, type NameOverLimit } from '../compare/names-over-limit.js';
import { ModelsError, TargetNotUpToDateError } from './autogenerate-errors.js';
import { typeSubstitutionLine, typeSubstitutionsOf } from './type-substitution-warnings.js';
import { unknownTypeWarnings } from './unknown-type-warnings.js';
import { unqualifyBindSchema } from './unqualify-bind-schema.js';

/**
 * Decides rename candidates a command line left open: a prompt on a terminal. Receives the
 * undecided candidates; returns the decisions (a candidate left out stays undecided, and the
 * comparison then refuses).
 */
export type RenameResolver = (bind: string, candidates: readonly RenameCandidate[]) => Promise<RenameDecisions>;

/** Options shared by the autogenerate commands. */
export interface CompareBindOptions {
  /** Decisions given up front (`--rename`, `--no-rename`). */
  readonly renames?: RenameDecisions;
  /** Asks about the candidates `renames` does not decide (e.g. a terminal prompt). */
  readonly resolveRenames?: RenameResolver;
  /**
   * Compare the models with an empty schema instead of the bind's database (a baseline: ops that
   * create everything the models declare). No connection is opened: the dialect comes from the
   * bind's URL scheme (its flavour for `mysql:` / `mariadb:`), as offline mode takes it.
   */
  readonly fromEmpty?: boolean;
}

/** The keys of {@link CompareBindOptions}. */
const COMPARE_BIND_OPTIONS = keysOf<CompareBindOptions>({ renames: true, resolveRenames: true, fromEmpty: true });

/** One bind compared with its models. */
export interface BindComparison {
  /** The bind compared. */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /**
   * What differs: the ops that make the database match the models, the detected changes and
   * warnings.
   */
  readonly comparison: Comparison;
  /** The database as introspected. */
  readonly database: DatabaseSnapshot;
  /** The models resolved for the bind's dialect. */
  readonly models: DatabaseSnapshot;
  /** The bind's dialect comparator (how its database keeps types, defaults and expressions). */
  readonly comparator: SchemaComparator;
  /** The bind's dialect capabilities (whether its database checks type sizes, …). */
  readonly capabilities: DialectCapabilities;
  /**
   * The column types of the ops that the database gets as another type, or cannot get
   * (`Dialect.typeSubstitutions`: `timestamptz` → `datetime` on MySQL/MariaDB), notes included;
   * the ones that lose something or fail are also in `comparison.warnings`. The rendered revision
   * carries each as a comment next to its op.
   */
  readonly typeSubstitutions: readonly TypeSubstitution[];
}

/**
 * The bind's autogenerate settings: its own (`binds.<name>.autogenerate`), else the config's
 * top-level `autogenerate`, else none.
 * @param env - the loaded project.
 * @param bind - the bind's name.
 * @returns the settings (`{}` when none are configured).
 * @throws `UnknownBindError` for a bind the config does not name.
 * @example
 * ```ts
 * const { dropUnmodeledTables = false } = autogenerateOptionsOf(env, 'db2');
 * ```
 */
export function autogenerateOptionsOf(env: MigrationEnvironment, bind: string): AutogenerateOptions {
  return env.bind(bind).config.autogenerate ?? env.loaded.config.autogenerate ?? {};
}

/**
 * Refuses a bind that is not at the head of its branch ("Target database is not up to date"), or
 * that has a revision in flight (stopped part way on MySQL/MariaDB): a comparison would then
 * describe revisions already written, or half of one. Connects the bind and reads its version
 * table (and its progress table, where DDL is not transactional).
 * @param env - the loaded project.
 * @param bind - the bind's name.
 * @returns resolves when the bind's version-table rows are exactly its branch's heads.
 * @throws `PartlyAppliedError` for a revision in flight; {@link TargetNotUpToDateError} when not at
 *   head; connection errors.
 * @example
 * ```ts
 * await requireAtHead(env, 'db2');
 * const { comparison } = await compareBind(env, 'db2', models);
 * ```
 */
export async function requireAtHead(env: MigrationEnvironment, bind: string): Promise<void> {
  const map = await env.revisionMap();
  // One read of the version and progress tables (see `env.reading`).
  const [current, flight] = await env.reading(bind, async () => [(await env.currentHeads([bind])).get(bind) ?? [], (await env.inFlight([bind])).get(bind)] as const);
  // A revision stopped part way (MySQL/MariaDB): the database is between two revisions, whatever
  // the version table says (a downgrade in flight leaves it at head).
  if (flight) {
    throw new PartlyAppliedError({ bind, revision: flight.revision, direction: flight.direction, completed: describeWrites(flight), asked: 'compare its database with its models' });
  }
  const behind = notUpToDate(map, bind, env.bind(bind).branch, current);
  if (behind) throw behind;
}

/**
 * Whether a bind's version-table rows are exactly its branch's heads, the rule
 * {@link requireAtHead} and `check` apply: pure, no I/O.
 * @param map - the repository's revision map.
 * @param bind - the bind's name (named in the error).
 * @param branch - the bind's branch.
 * @param current - the bind's version-table rows (`[]`: base).
 * @returns `undefined` when the rows are the heads; otherwise the {@link TargetNotUpToDateError}
 *   to report (its `unknown` lists the rows no script declares).
 * @example
 * ```ts
 * const behind = notUpToDate(await env.revisionMap(), 'db2', 'db2', ['1bc594146bb5']);
 * if (behind) console.error(behind.message);
 * ```
 */
export function notUpToDate(map: RevisionMap, bind: string, branch: string, current: readonly string[]): TargetNotUpToDateError | undefined {
  const heads = map.heads(branch);
  const same = current.length === heads.length && heads.every((h) => current.includes(h));
  return same ? undefined : new TargetNotUpToDateError(bind, [...current], heads, current.filter((revision) => !map.has(revision)));
}

function merge(a: RenameDecisions | undefined, b: RenameDecisions): RenameDecisions {
  return { accept: [...(a?.accept ?? []), ...(b.accept ?? [])], reject: [...(a?.reject ?? []), ...(b.reject ?? [])] };
}

/**
 * Whether a decision names the candidate: as the candidate names it, or, for a column of a renamed
 * table, by the table's old name (`alias` turns that into the new one, as compareSchemas does).
 */
function decided(decisions: RenameDecisions | undefined, candidate: RenameCandidate, alias: (rename: RenameArgument) => RenameArgument): boolean {
  const all = [...(decisions?.accept ?? []), ...(decisions?.reject ?? [])];
  return all.some((d) => formatRenameArgument(alias(typeof d === 'string' ? parseRenameArgument(d) : d)) === candidate.argument);
}

/**
 * Compares one bind's models with its live database: introspects the database (the bind's schema,
 * unqualified, and each other schema a model table or enum names, qualified; multidb's version
 * table left out), resolves
 * the models for the bind's dialect, finds rename candidates and asks
 * `resolveRenames` about the undecided ones (again about the columns of the tables its answers
 * rename), then runs the pure comparison with the bind's
 * dialect rules, naming convention and autogenerate hooks, and adds a warning for each column type
 * the ops declare that the database gets as a type that loses something, or cannot store
 * (`Dialect.typeSubstitutions`: `timestamptz` → `datetime` on MySQL/MariaDB), and for each one it does not know (`Dialect.unknownTypes`: PostgreSQL asks the
 * database, MySQL/MariaDB check their list of type names, SQLite its STRICT tables' five). Does not check that the bind is at
 * head (see {@link requireAtHead}). Creates nothing: a bind whose database does not exist yet (a
 * missing SQLite file) is compared as an empty database. With `fromEmpty`, no database is opened:
 * the models are compared with an empty schema of the bind's dialect (taken from its URL scheme),
 * and the unknown types are those a fresh database lacks (PostgreSQL: the types not built in, such
 * as an extension's `citext` or a domain, which the adopted database may have); for a `mysql://`
 * bind a warning says that MySQL's rules were followed, and that `mariadb://` selects MariaDB's.
 *
 * @throws {@link ModelsError} when a name of the models is longer than the dialect keeps
 *   (`identifierLimit`: PostgreSQL 63 bytes, which it would truncate, so that the models never
 *   matched the database again; MySQL 64 characters, which it refuses), or an enum member longer
 *   than it accepts (`enumLabelLimit`: PostgreSQL 63 bytes), naming each such name (only what the
 *   comparison's ops write, after `includeName` / `includeObject`: see {@link namesOverLimit};
 *   the new name of a rename candidate before `resolveRenames` is asked about it or a decision is
 *   required: see {@link renameNamesOverLimit}), or an index the dialect cannot create
 *   (`Dialect.unsupportedIndex`: an expression index on MariaDB), naming the index, its table and
 *   why;
 *   `RenameDecisionRequiredError` when a candidate stays undecided; `EnumConflictError` when
 *   the models declare one PostgreSQL enum with different members in two places; connection errors;
 *   `UnknownOptionError` when `options` holds a key {@link CompareBindOptions} does not have
 *   (`rename`), before the database is opened.
 * @example
 * ```ts
 * const { comparison } = await compareBind(env, 'db2', models, { renames: { accept: ['user.name=user.full_name'] } });
 * for (const change of comparison.changes) console.log(change.line);
 * ```
 */
export async function compareBind(env: MigrationEnvironment, bind: string, models: Models, options: CompareBindOptions = {}): Promise<BindComparison> {
  checkOptions('compareBind()', options, COMPARE_BIND_OPTIONS);
  const b = env.bind(bind);
  // A read: a database that does not exist yet (a missing SQLite file) is compared as empty, and
  // is not created. One read of the bind (see `env.reading`): an upgrade of this environment
  // started meanwhile waits for it.
  const { conn, dialect, database, modelSnapshot } = await (options.fromEmpty ? emptySchema(env, bind, models) : env.reading(bind, async () => {
    let conn: DialectConnection | undefined;
    try {
      conn = await env.connection(bind, { create: false });
    } catch (error) {
      if (!(error instanceof DatabaseNotFoundError)) throw error;
    }
    const dialect = conn ? conn.dialect : await env.dialect(bind);
    const versionTable = env.versionTable(bind);
    const exclude = [...versionTable.ownTables];
    // The bind's own schema is read unqualified (the connection reads it by default), as ops without
    // `schema` and models tables without one mean it; a models table or enum that names it is
    // unqualified to match.
    let database: DatabaseSnapshot = conn ? await conn.introspect({ exclude }) : { tables: [], enums: [], objects: [] };
    const modelSnapshot = unqualifyBindSchema(
      resolveModels(models, { dialect: dialect.name, namingConvention: env.namingConvention, namedEnums: dialect.capabilities.namedEnums }),
      b.config.schema,
    );
    // The other schemas the models name (a table or enum with its own `schema`, a column's
    // `enumType` included) are read too, each qualified: otherwise their tables would never be found
    // and every comparison would add them again.
    const schemas = new Set([...models.tables, ...modelSnapshot.enums].map((m) => m.schema).filter((s): s is string => s !== undefined && s !== b.config.schema));
    for (const schema of conn ? schemas : []) {
      const other = await conn!.introspect({ schema, exclude });
      database = { tables: [...database.tables, ...other.tables], enums: [...database.enums, ...other.enums], objects: [...database.objects, ...other.objects] };
    }
    return { conn, dialect, database, modelSnapshot };
  }));
  const hooks = autogenerateOptionsOf(env, bind);
  // One comparison of the bind, however many times its candidates are asked again: `includeName` /
  // `includeObject` are asked once about each object between them (as Alembic asks).
  const include = new IncludeFilter(hooks);
  const base = {
    comparator: dialect.comparator,
    capabilities: dialect.capabilities,
    namingConvention: env.namingConvention,
    bind,
    ...include.hooks(),
    ...(hooks.compareType !== undefined ? { compareType: hooks.compareType } : {}),
    ...(hooks.compareServerDefault !== undefined ? { compareServerDefault: hooks.compareServerDefault } : {}),
    ...(hooks.dropUnmodeledTables !== undefined ? { dropUnmodeledTables: hooks.dropUnmodeledTables } : {}),
  };
  const limit = dialect.capabilities.identifierLimit;
  // The rename candidates under `decisions`. A candidate's new name is written whether it becomes a
  // rename or an add, so one over the limit is refused now, before anyone is asked about it or told
  // to decide it (PostgreSQL: the database's table, cut to 63 bytes, and the models' longer name
  // are a candidate; the rename question would hide the reason).
  const candidatesOf = (decisions: RenameDecisions | undefined) => {
    const found = renameCandidates(prepareComparison(modelSnapshot, database, { ...base, ...(decisions ? { renames: decisions } : {}) }), decisions, false);
    if (limit) refuseNamesOverLimit(env, bind, dialect, renameNamesOverLimit(modelSnapshot, found.candidates, limit), []);
    return found;
  };
  let renames = options.renames;
  let found = candidatesOf(renames);
  if (options.resolveRenames) {
    // Asked again with the answers: the columns of a table just renamed may be renamed too. Each
    // candidate is asked about once (one left undecided makes compareSchemas refuse).
    const asked = new Set<string>();
    for (;;) {
      const open = found.candidates.filter((c) => !decided(renames, c, found.alias) && !asked.has(c.argument));
      if (!open.length) break;
      for (const c of open) asked.add(c.argument);
      renames = merge(renames, await options.resolveRenames(bind, open));
      found = candidatesOf(renames);
    }
  }
  const compared = compareSchemas(modelSnapshot, database, { ...base, ...(renames ? { renames } : {}) });
  // On the ops, as the comparison paired and kept the objects (the hooks are not asked again): a
  // name of an object the hooks leave out, or that the database has under another name, is never written.
  refuseNamesOverLimit(env, bind, dialect, limit ? namesOverLimit(modelSnapshot, compared.ops, limit) : [], dialect.capabilities.enumLabelLimit ? enumLabelsOverLimit(compared.ops, dialect.capabilities.enumLabelLimit) : []);
  // On the ops, not the whole models: a table or index the bind's includeName / includeObject
  // leave out is never created, so it is no reason to refuse.
  refuseUnsupportedIndexes(env, bind, compared.ops, dialect);
  // Types the database does not know would fail the upgrade: said now, as warnings (the dialect
  // answers; PostgreSQL asks the database: a read of its own, as renames may have been asked of a
  // person meanwhile).
  const ask = conn ? (statement: Statement) => env.reading(bind, async () => (await env.connection(bind, { create: false })).execute(statement)) : undefined;
  const unknownTypes = await unknownTypeWarnings(bind, dialect, compared.ops, modelSnapshot, ask);
  // A type the database keeps as another one that loses something (a time zone, a precision), or
  // cannot keep at all (an array on MySQL): said, never silently (a mere note, uuid → char(36),
  // only in the revision). Only for the ops: once applied, the column matches and nothing is said.
  const typeSubstitutions = typeSubstitutionsOf(dialect, compared.ops, modelSnapshot);
  const lossy = typeSubstitutions.filter((t) => t.effect !== 'note').map((t) => typeSubstitutionLine(bind, t));
  const added = [...(options.fromEmpty ? flavourWarning(bind, dialect) : []), ...unknownTypes, ...lossy];
  const comparison = added.length ? { ...compared, warnings: Object.freeze([...compared.warnings, ...added]) } : compared;
  return { bind, branch: b.branch, comparison, database, models: modelSnapshot, comparator: dialect.comparator, capabilities: dialect.capabilities, typeSubstitutions };
}

/**
 * What a baseline compares the models with: an empty schema of the bind's dialect, taken from its
 * URL scheme without connecting (the pure dialect offline mode uses).
 */
async function emptySchema(env: MigrationEnvironment, bind: string, models: Models): Promise<{ conn: undefined; dialect: Dialect; database: DatabaseSnapshot; modelSnapshot: DatabaseSnapshot }> {
  const dialect = await env.dialect(bind);
  const modelSnapshot = unqualifyBindSchema(
    resolveModels(models, { dialect: dialect.name, namingConvention: env.namingConvention, namedEnums: dialect.capabilities.namedEnums }),
    env.bind(bind).config.schema,
  );
  return { conn: undefined, dialect, database: { tables: [], enums: [], objects: [] }, modelSnapshot };
}

/**
 * What a baseline of a MySQL bind says of the server's flavour: it opens no database, so a
 * `mysql://` URL (or none) gives MySQL's rules, whatever the server is; MariaDB's (no expression
 * indexes, other types) need `mariadb://`. Nothing for another dialect or a `mariadb://` URL.
 */
function flavourWarning(bind: string, dialect: Dialect): string[] {
  if (dialect.name !== 'mysql' || dialect.flavour === 'mariadb') return [];
  return [
    `[${bind}] This baseline follows MySQL's rules: a baseline opens no database, and the bind's URL (mysql://) names MySQL. ` +
      `If the server is MariaDB, write the URL as mariadb://… and write the baseline again, for MariaDB's rules (it has no expression indexes, and other types).`,
  ];
}

/** The bind's models file, for a {@link ModelsError}. */
function modelsFile(env: MigrationEnvironment, bind: string): string {
  const setting = env.bind(bind).config.models;
  // Models given to compareBind by custom tooling, for a bind without a models setting, or as an object in the config, have no file.
  if (setting === undefined) return '(given to compareBind)';
  if (isModels(setting)) return `(binds.${bind}.models, given as defineModels(…) in ${env.loaded.source})`;
  return resolve(env.loaded.baseDir, typeof setting === 'string' ? setting : setting.drizzle);
}

/** The indexes the ops of a comparison create, with their tables: a new table's, a created index, a batch block's. */
function createdIndexes(ops: readonly Op[]): readonly (readonly [string, IndexSnapshot])[] {
  return ops.flatMap((op): (readonly [string, IndexSnapshot])[] => {
    if (op.kind === 'CreateTable') return op.table.indexes.map((ix) => [op.table.name, ix] as const);
    if (op.kind === 'CreateIndex') return [[op.table, op.index]];
    if (op.kind === 'BatchAlterTable') return createdIndexes(op.ops).map(([, ix]) => [op.table, ix] as const);
    return [];
  });
}

/**
 * Refuses models with an index the bind's database cannot have (`Dialect.unsupportedIndex`: an
 * expression index on MariaDB), before any revision is written: the upgrade would fail on it,
 * midway through a revision whose DDL before it is committed. Only the indexes the comparison
 * creates count: one of a table or index the bind's `includeName` / `includeObject` leave out is
 * never created.
 * @throws {@link ModelsError} naming the bind, its models file, each such index with its table,
 *   and the dialect's reason (with what to do instead).
 */
function refuseUnsupportedIndexes(env: MigrationEnvironment, bind: string, ops: readonly Op[], dialect: Dialect): void {
  if (!dialect.unsupportedIndex) return;
  const refused = createdIndexes(ops).flatMap(([table, ix]) => {
    const reason = dialect.unsupportedIndex!(ix);
    return reason === undefined ? [] : [{ what: `index '${ix.name}' on table '${table}'`, reason }];
  });
  if (refused.length === 0) return;
  const reasons = [...new Set(refused.map((r) => r.reason))];
  throw new ModelsError(
    bind,
    modelsFile(env, bind),
    `${refused.map((r) => r.what).join(', ')} cannot be created on bind '${bind}': ${reasons.join(' ')} ` +
      `No revision was written; change ${refused.length === 1 ? 'the index' : 'these indexes'} in the models.`,
  );
}

/**
 * Refuses models with names longer than the bind's dialect keeps (`over`: see
 * {@link namesOverLimit}, {@link renameNamesOverLimit}), or enum members longer than it accepts
 * (`labels`: see {@link enumLabelsOverLimit}); nothing when both are empty.
 * @throws {@link ModelsError} naming the bind, its models file and each name with its length.
 */
function refuseNamesOverLimit(env: MigrationEnvironment, bind: string, dialect: Dialect, over: readonly NameOverLimit[], labels: readonly NameOverLimit[]): void {
  const limit = dialect.capabilities.identifierLimit;
  const labelLimit = dialect.capabilities.enumLabelLimit;
  if (over.length === 0 && labels.length === 0) return;
  const parts: string[] = [];
  if (limit && over.length) {
    const list = over.map((o) => `${o.what} (${o.length} ${limit.unit})`).join(', ');
    parts.push(
      `${over.length === 1 ? 'a name is' : `${over.length} names are`} longer than ${dialect.name} keeps a name (at most ${limit.max} ${limit.unit}): ${list}. ` +
        `Shorten ${over.length === 1 ? 'it' : 'them'} in the models (${
          limit.longer === 'truncated' ? 'the database would cut a longer name short, and it would never match the models again' : 'the database refuses a longer name'
        }).`,
    );
  }
  if (labelLimit && labels.length) {
    const list = labels.map((o) => `'${o.name}' (${o.what}, ${o.length} ${labelLimit.unit})`).join(', ');
    parts.push(
      `${labels.length === 1 ? 'an enum member is' : `${labels.length} enum members are`} longer than ${dialect.name} accepts an enum label (at most ${labelLimit.max} ${labelLimit.unit}): ${list}. ` +
        `Shorten ${labels.length === 1 ? 'it' : 'them'} in the models (the upgrade would fail on ${labels.length === 1 ? 'it' : 'them'}).`,
    );
  }
  throw new ModelsError(bind, modelsFile(env, bind), parts.join(' '));
}
