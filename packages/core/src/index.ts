/**
 * `@multidb/core`: configuration, revision scripts, the revision graph and planner, the runner,
 * op objects and the `op` facade, column types, table snapshots, naming convention, typed errors
 * and run events. No database driver is imported here: dialects come in through a registry.
 */
export * from './errors.js';
export * from './column-type.js';
export * from './table-snapshot.js';
export * from './ops.js';
export * from './reverse-op.js';
export * from './naming-convention.js';
export * from './model-input.js';
export * from './operations.js';
export * from './dialect.js';
export * from './config.js';
export * from './revision.js';
export * from './url.js';
export * from './events.js';
export * from './header-parser.js';
export * from './module-loader.js';
export * from './script-directory.js';
export * from './repository-init.js';
export * from './revision-map.js';
export * from './revision-target.js';
export * from './planner.js';
export * from './config-loader.js';
export * from './version-table.js';
export * from './environment.js';
export * from './runner.js';
