/**
 * `@multidb/core`: configuration, revision scripts, the revision graph and planner, the runner,
 * op objects and the `op` facade, column types, table snapshots, naming convention, typed errors
 * and run events. No database driver is imported here: dialects come in through a registry.
 */
export * from './errors.js';
export * from './schema/column-type.js';
export * from './schema/table-snapshot.js';
export * from './operations/op-objects.js';
export * from './operations/reverse-op.js';
export * from './schema/naming-convention.js';
export * from './schema/model-input.js';
export * from './operations/operations.js';
export * from './dialect/dialect.js';
export * from './dialect/default-comparator.js';
export * from './schema/database-snapshot.js';
export * from './schema/models.js';
export * from './config/multidb-config.js';
export * from './config/autogenerate-options.js';
export * from './script/revision-script.js';
export * from './config/database-url.js';
export * from './runtime/run-event.js';
export * from './script/header-parser.js';
export * from './script/module-loader.js';
export * from './script/script-directory.js';
export * from './script/repository-init.js';
export * from './script/revision-map.js';
export * from './script/revision-history.js';
export * from './schema/freeze-deep.js';
export * from './script/revision-target.js';
export * from './script/planner.js';
export * from './config/config-loader.js';
export * from './runtime/version-table.js';
export * from './runtime/environment.js';
export * from './runtime/runner.js';
