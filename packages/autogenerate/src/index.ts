/**
 * `@multidb/autogenerate`: compares a bind's declared models with its live database and renders
 * a reviewed, reversible revision (DESIGN §3). The comparison is pure: models and an introspected
 * snapshot in, op objects out.
 */

// Rendering: op objects → the source of a revision (render/).
export { renderOp } from './render/render-op.js';
export { RenderContext, type RenderOptions } from './render/render-context.js';
export { renderRevisionBody, REVIEW_COMMENT, END_COMMENT, type RevisionBody, type RevisionBodyInput } from './render/render-revision-body.js';
export { reverseOps } from './render/reverse-ops.js';
export { groupIntoBatches } from './render/group-into-batches.js';
export { describeDataLoss, isNarrowingTypeChange } from './render/describe-data-loss.js';
export { runPostWriteHook, splitCommandLine } from './render/post-write-hook.js';
export { RenderError, PostWriteHookError } from './render/render-errors.js';
