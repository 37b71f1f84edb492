/**
 * `@multidb/autogenerate`: compares a bind's declared models with its live database and renders
 * a reviewed, reversible revision (DESIGN §3). The comparison is pure: models and an introspected
 * snapshot in, op objects out.
 */

// Comparison: models and database snapshots in, ops out (src/compare/).
export { compareSchemas } from './compare/compare-schemas.js';
export type { CompareOptions, RenameDecisions } from './compare/compare-options.js';
export type { Comparison, DetectedChange, DetectedChangeKind } from './compare/detected-change.js';
export { findRenameCandidates } from './compare/find-rename-candidates.js';
export { describeRenameCandidate, type RenameCandidate } from './compare/rename-candidate.js';
export { formatRenameArgument, parseRenameArgument } from './compare/rename-argument.js';
export type { RenameArgument } from './compare/rename-argument.js';
export { RenameArgumentError } from './compare/rename-argument-error.js';
export { RenameDecisionRequiredError, type BindRenameCandidates } from './compare/rename-decision-required-error.js';
export { NoReferencedColumnError, NoReferencedTableError, type ForeignKeyReference } from './compare/no-referenced-table-error.js';

// Rendering: op objects → the source of a revision (render/).
export { renderOp } from './render/render-op.js';
export { RenderContext, type RenderOptions } from './render/render-context.js';
export { renderRevisionBody, REVIEW_COMMENT, END_COMMENT, type RevisionBody, type RevisionBodyInput } from './render/render-revision-body.js';
export { reverseOps } from './render/reverse-ops.js';
export { renderModels, type RenderModelsOptions } from './render/render-models.js';
export { describeDataLoss, describeUncheckedNarrowing, isNarrowingTypeChange, sameKindNarrowing, type DataLossOptions } from './render/describe-data-loss.js';
export { downgradeWarnings } from './render/downgrade-warnings.js';
export { runPostWriteHook, splitCommandLine } from './render/post-write-hook.js';
export { RenderError, PostWriteHookError } from './render/render-errors.js';

// Commands built on core's command layer (src/commands/): the CLI and the TUI call these.
export { autogenerate, type AutogenerateBindResult, type AutogenerateCommandOptions } from './commands/autogenerate.js';
export { unmatchedRenameWarnings } from './commands/unmatched-rename-warnings.js';
export { check, checkVerdict, isCheckFailure, type CheckBindResult, type CheckOutcome } from './commands/check.js';
export { compareBind, requireAtHead, autogenerateOptionsOf, type BindComparison, type CompareBindOptions, type RenameResolver } from './commands/compare-bind.js';
export { declaredTypes, unknownTypeLine, unknownTypeWarnings } from './commands/unknown-type-warnings.js';
export { typeSubstitutionLine, typeSubstitutionsOf } from './commands/type-substitution-warnings.js';
export { loadModels } from './commands/load-models.js';
export { modelsFromDatabase, type ModelsFromDatabaseOptions, type ModelsFromDatabaseResult } from './commands/models-from-database.js';
export { BaselineNotFirstError, ModelsError, ModelsFileExistsError, NoModelsError, NothingWrittenError, TargetNotUpToDateError, type ComparedBind } from './commands/autogenerate-errors.js';

// Typed queries: each bind's Kysely `DB` interface through kysely-codegen (src/codegen/).
export { codegen, codegenAfterRun, codegenAfterUpgrade, codegenBindsAfterRun, codegenModeOf, generateBindTypes, isCodegenFailure, type CodegenBindResult, type CodegenOptions, type CodegenOutcome } from './commands/codegen.js';
export { renderTypesFile } from './codegen/render-types-file.js';
export { CodegenError } from './codegen/codegen-error.js';
export { CodegenAfterRunError } from './codegen/codegen-after-run-error.js';
