/**
 * The command layer (Alembic's `command` module): one function per `migrate` command, each taking
 * a loaded `MigrationEnvironment` (or, for `init`, a folder) and returning typed data. They
 * print nothing: the CLI renders their results, the TUI shows them, custom tooling uses them.
 *
 * @example
 * ```ts
 * import { commands, loadEnvironment } from '@multidb/core';
 * import { dialects } from '@multidb/dialect';
 * const env = await loadEnvironment({ dialects });
 * try {
 *   for (const bind of await commands.status(env)) console.log(bind.bind, bind.condition.kind);
 * } finally {
 *   await env.close();
 * }
 * ```
 */
export { init } from './init.js';
export { revision, placeRevision } from './revision.js';
export { merge } from './merge.js';
export { upgrade } from './upgrade.js';
export { downgrade } from './downgrade.js';
export { stamp } from './stamp.js';
export { resolve } from './resolve.js';
export { current } from './current.js';
export { history } from './history.js';
export { heads } from './heads.js';
export { branches } from './branches.js';
export { show } from './show.js';
export { status, bindStatus } from './status.js';
export { reviewUpgrade, reviewDowngrade } from './review.js';
export { downgradeChoices } from './downgrade-choices.js';
export { previewRevision } from './preview.js';
export { upgradeSql } from './upgrade-sql.js';
export { downgradeSql } from './downgrade-sql.js';
export { stampSql } from './stamp-sql.js';
