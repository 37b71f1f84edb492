/**
 * `@multidb/core`: configuration, revision scripts, the revision graph and planner, the runner,
 * op objects and the `op` facade, column types, table snapshots and models, naming convention,
 * typed errors, run events, and the command layer. No database driver is imported here: dialects
 * come in through a registry the caller supplies (`@multidb/dialect`).
 *
 * Layers, bottom up (DESIGN §3): `schema/` (snapshots, models, column types, naming) →
 * `operations/` (op objects, the `op` facade, reverse) → `dialect/` (the contract dialects
 * implement) → `script/` (revision files, graph, targets, planner) → `config/` → `runtime/`
 * (environment, runner, version table, the one compile path) → `commands/`.
 */

// Errors
export {
  AmbiguousRevisionError,
  BindError,
  BindRequiredError,
  BranchError,
  ConfigError,
  CycleError,
  DatabaseNotFoundError,
  DependencyError,
  DowngradeTargetError,
  DuplicateDatabaseError,
  DuplicateRevisionError,
  EnvironmentBusyError,
  EnumConflictError,
  IdentifierTooLongError,
  InterruptedError,
  LockTimeoutError,
  MigrationError,
  MissingRevisionError,
  MultidbError,
  MultipleHeadsError,
  NonTransactionalOpError,
  OfflineError,
  OperationError,
  PartlyAppliedError,
  ResolveConflictError,
  ResolveError,
  ResumeRefusedError,
  RevisionError,
  RevisionNotFoundError,
  RunError,
  type RetryByHand,
  type RunRetry,
  SchemaUnknownError,
  ScriptError,
  SharedBranchError,
  TargetUsageError,
  TransactionLeftOpenError,
  UnknownBindError,
  UnknownOptionError,
  UnreachableBindsError,
  UnsupportedBindOptionError,
  UnsupportedIndexError,
  UnsupportedOperationError,
  UrlError,
  VersionTableConflictError,
  ReadOnlyBindError,
  RelativeTargetError,
  VersionTableError,
  type BindAction,
  type EnumDeclaration,
  type IdentifierCollision,
  type IdentifierOverLimit,
  oneLine,
  stoppedWhere,
  type SkippedStep,
  type StoppedGroup,
} from './errors.js';

// schema/: table snapshots, models, column types, naming convention
export { enumType, formatColumnType, longestMemberLength, parseColumnType, type ColumnType, type ColumnTypeInput } from './schema/column-type.js';
export type {
  CheckConstraintSnapshot,
  ColumnSnapshot,
  ConstraintNameSnapshot,
  DefaultValue,
  DependentObjectSnapshot,
  ForeignKeySnapshot,
  IndexSnapshot,
  PrimaryKeySnapshot,
  ReferentialAction,
  TableSnapshot,
  UniqueConstraintSnapshot,
} from './schema/table-snapshot.js';
export { indexColumnName, indexColumnSort, indexColumnSql, normalizeIndexColumn, type IndexColumn, type IndexSortOrder } from './schema/index-column.js';
export type { DatabaseSnapshot, EnumSnapshot, ObjectReference, SchemaObjectSnapshot } from './schema/database-snapshot.js';
export {
  checkIdentifier,
  columnFromInput,
  tableFromInput,
  tableSnapshotFromInput,
  type ColumnInput,
  type TableSnapshotInput,
  type ForeignKeyInput,
  type TableOptions,
} from './schema/model-input.js';
export {
  defineModels,
  isModels,
  resolveModels,
  type ColumnModel,
  type EnumModel,
  type Models,
  type ModelsDefinition,
  type ResolveModelsOptions,
  type TableModel,
} from './schema/models.js';
export {
  checkConstraintName,
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  type NamedKind,
  type NamingConvention,
  type NamingValues,
} from './schema/naming-convention.js';
export { identifierLength, identifierPrefix, isOverIdentifierLimit } from './schema/identifier-length.js';
export { freezeDeep } from './schema/freeze-deep.js';

// operations/: op objects, the `op` facade, reverse
export {
  dispatchOp,
  type AddColumnOp,
  type AddEnumValueOp,
  type AlterColumnOp,
  type AlterTableCommentOp,
  type BatchAlterTableOp,
  type BatchInnerOp,
  type BatchOptions,
  type BulkInsertOp,
  type ColumnChanges,
  type ConstraintType,
  type CreateCheckConstraintOp,
  type CreateEnumOp,
  type CreateForeignKeyOp,
  type CreateIndexOp,
  type CreatePrimaryKeyOp,
  type CreateTableOp,
  type CreateUniqueConstraintOp,
  type DropColumnOp,
  type DropConstraintOp,
  type DropEnumOp,
  type DropIndexOp,
  type DropTableOp,
  type ExecuteOp,
  type ExistingColumn,
  type ExistingConstraint,
  type IrreversibleOp,
  type Op,
  type OpKind,
  type OpOfKind,
  type OpTable,
  type RenameColumnOp,
  type RenameIndexOp,
  type RenameTableOp,
  type TableRef,
} from './operations/op-objects.js';
export {
  BatchOperations,
  Operations,
  type AlterColumnOptions,
  type ExistingColumnInput,
  type BatchAlterTableOptions,
  type DroppedColumnInput,
  type ForeignKeyOptions,
  type IndexColumnsInput,
  type IndexOptions,
  type UniqueConstraintOptions,
  type PrimaryKeyOptions,
  type DropIndexOptions,
  type OpRunner,
  type SchemaOption,
} from './operations/operations.js';
export { reverseOp, type ReversedOp } from './operations/reverse-op.js';

// dialect/: the contract a dialect implements
export {
  DEFAULT_CAPABILITIES,
  type CompileContext,
  type ConnectOptions,
  type DeclaredType,
  type Dialect,
  type DialectCapabilities,
  type DialectConnection,
  type DialectDriver,
  type DialectEntry,
  type DialectRegistry,
  type IdentifierLimit,
  type IntrospectOptions,
  type LockOptions,
  type LockHolder,
  type LockHolderSession,
  type ReadOnlyReason,
  type OfflineOtherServer,
  type OfflineSql,
  type OfflineForeignKeyCheck,
  type ForeignKeyEffect,
  type SchemaComparator,
  type Statement,
  type UnknownType,
  type TypeSubstitution,
  type TypeSubstitutionEffect,
} from './dialect/dialect.js';
export { canonicalSqlText, DEFAULT_COMPARATOR } from './dialect/default-comparator.js';
export { failedStatementOf, markFailedStatement } from './dialect/failed-statement.js';
export { formatLockHolder } from './dialect/format-lock-holder.js';

// script/: revision files, the revision graph, targets, the planner
export { REVISION_ID_PATTERN, type RevisionHeader, type RevisionScript } from './script/revision-script.js';
export { parseRevisionHeader } from './script/header-parser.js';
export {
  createModuleLoader,
  loadRevisionModule,
  type ImportOptions,
  type ModuleLoader,
  type ModuleLoaderOptions,
  type RevisionModule,
} from './script/module-loader.js';
export {
  generateRevisionId,
  isValidBranchName,
  renderStringLiteral,
  ScriptDirectory,
  slugify,
  type RevisionInput,
  type RevisionTypes,
  type ScriptDirectoryOptions,
  type ScriptWarning,
} from './script/script-directory.js';
export { initRepository, renderStarterConfig } from './script/repository-init.js';
export { RESERVED_TARGET_NAMES, RevisionMap, type AncestryOptions, type WalkOptions } from './script/revision-map.js';
export { revisionHistory } from './script/revision-history.js';
export { revisionTypesName } from './script/revision-types-name.js';
export { branchOrder, headsInOrder, newestFirst } from './script/listing-order.js';
export { showTarget, type ShownRevisions } from './script/show-target.js';
export { guardSharedBranch, parseTarget, TARGET_FORMS, type BindBranch, type RevisionTarget, type TargetScope } from './script/revision-target.js';
export {
  crossBindWaits,
  planDowngrade,
  planStamp,
  planUpgrade,
  type BindState,
  type FanOut,
  type Plan,
  type PlanDowngradeOptions,
  type PlanStampOptions,
  type PlanStep,
  type StampChange,
} from './script/planner.js';

// config/
export { defineConfig, type BindConfig, type CodegenMode, type HookContext, type MultidbConfig } from './config/multidb-config.js';
export type {
  AutogenerateObjectType,
  AutogenerateOptions,
  CompareColumnContext,
  IncludeObjectContext,
  RevisionDirectives,
} from './config/autogenerate-options.js';
export { CONFIG_FILE_NAMES, findConfigFile, loadConfig, validateConfig, type LoadedConfig } from './config/config-loader.js';
export { maskDatabaseUrl, maskSecrets, maskUrl, secretsMasker, urlParsesCleanly, urlScheme, urlSecrets } from './config/database-url.js';

// runtime/: the environment, the runner, the version table, the one compile path
export {
  loadEnvironment,
  MigrationEnvironment,
  type BindHeads,
  type CancelOutcome,
  type DowngradeOptions,
  type EnvironmentOptions,
  type ReadHeadsOptions,
  type ResolvedBind,
  type RunOptions,
  type RunWorkersOptions,
  type StampRunOptions,
} from './runtime/environment.js';
export {
  executeRunJob,
  runWorkersAvailable,
  startRunWorker,
  type RunningWorker,
  type WorkerAfterRun,
  type WorkerEnvironmentSource,
  type WorkerRunJob,
  type WorkerRunMessage,
} from './runtime/run-workers.js';
export { runPlan, type RunPlanOptions, type RunResult, type StepResult } from './runtime/runner.js';
export type { StampOutcome, StampResult } from './runtime/stamp-result.js';
export type { RunBind, RunContext } from './runtime/run-context.js';
export type { BindInterrupted, RunEvent, RunListener, StepInfo } from './runtime/run-event.js';
export { VersionTable, type VersionTableState } from './runtime/version-table.js';
export { describeWrites, ProgressTable, type InFlightRevision, type ProgressStart, type ProgressWrite } from './runtime/progress-table.js';
export { compileOp, type OpCompileContext, type SnapshotSource } from './runtime/op-compiler.js';
export { compileRevision, type CompiledRevision, type CompiledStatement, type RevisionCompileOptions } from './runtime/revision-compiler.js';
export type { TruncatedIdentifiers } from './runtime/identifier-limit.js';
export { statementKind, type StatementKind } from './runtime/statement-kind.js';
export { capturingKysely } from './runtime/capturing-kysely.js';
export { OfflineSnapshots } from './runtime/offline-snapshots.js';
export { offlinePlanInput, parseOfflineRange, type OfflinePlanInput, type OfflineRange, type OfflineStart } from './runtime/offline-range.js';
export { OfflineScriptWriter, offlineScriptChunks, type OfflineBind, type OfflineScript, type OfflineStep } from './runtime/offline-script-writer.js';

// commands/: one function per command, returning data
export * as commands from './commands/index.js';
export { listArgument } from './commands/list-argument.js';
export { checkOptions, keysOf } from './option-keys.js';
export type { InitOptions, InitResult } from './commands/init.js';
export type { PlaceRevisionOptions, RevisionOptions, RevisionPlacement, RevisionResult } from './commands/revision.js';
export type { MergeOptions } from './commands/merge.js';
export { mergeHeadsCommand } from './commands/merge.js';
export { offlineSnapshotsAt } from './commands/offline-scripts.js';
export type { StampOptions } from './commands/stamp.js';
export type { ResolveOptions, ResolveResult } from './commands/resolve.js';
export type { CurrentBind, CurrentRevision, RevisionInFlight } from './commands/current.js';
export type { HistoryEntry, HistoryOptions, HistoryResult } from './commands/history.js';
export type { HeadsOptions } from './commands/heads.js';
export { revisionEntry, type RevisionEntry } from './commands/revision-entry.js';
export type { ShowResult, ShowEntry } from './commands/show.js';
export type { BindCondition, BindStatus, PendingRevision } from './commands/status.js';
export type {
  CrossBindDependency,
  DowngradeReview,
  DowngradeStep,
  ReviewBind,
  ReviewHistoryEntry,
  ReviewStep,
  UpgradeReview,
} from './commands/review.js';
export type { DowngradeChoice } from './commands/downgrade-choices.js';
export type { PreviewOptions, PreviewStatement, RevisionPreview } from './commands/preview.js';
export type { OfflineRunOptions } from './commands/upgrade-sql.js';
export type { StampSqlOptions } from './commands/stamp-sql.js';
