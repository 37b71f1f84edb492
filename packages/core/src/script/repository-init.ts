import { mkdir, readdir, writeFile } from './fs-async.js';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { reservedNameProblem } from '../config/reserved-names.js';
import { DEFAULT_NAMING_CONVENTION } from '../schema/naming-convention.js';
import { isValidBranchName, renderStringLiteral } from './script-directory.js';

/** The default `script.ts.tmpl`: rendered, it is the revision file of DESIGN §5. */
const SCRIPT_TEMPLATE = `import type { Operations } from '@multidb/core';
\${imports}

export const revision = \${revision};
export const downRevision = \${downRevision};
export const branchLabels = \${branchLabels};
export const dependsOn = \${dependsOn};
export const message = \${message};
export const createDate = \${createDate};

export async function upgrade(op: \${operationsType}): Promise<void> {
  \${upgrades}
}

export async function downgrade(op: \${operationsType}): Promise<void> {
  \${downgrades}
}
`;

const README = `multidb migration repository
=============================

This folder holds the revisions that 'migrate' applies to the project's binds (named
databases). Each bind follows one version branch; binds, URLs and the naming convention are
set in migrate.config.ts.

Layout
  script.ts.tmpl                     template of new revision files
  versions/<branch>/                 the revisions of one branch; a bind's branch is the bind's
                                     name unless binds.<bind>.branch names another
  versions/<branch>/<rev>_<slug>.ts  one revision: its header (revision, downRevision,
                                     branchLabels, dependsOn, message, createDate) is read
                                     without running the file; upgrade(op) and downgrade(op)
                                     run the changes

Each bind's database keeps its current revision in its own version table, created by the
first upgrade.

Commands
  migrate revision -m "message" --bind <bind>   write a new revision
  migrate upgrade head                          apply every bind's pending revisions
  migrate downgrade <bind>@-1                   undo one revision of a bind
  migrate current | history | heads | branches  inspect
  migrate --help                                everything else
`;

/**
 * Creates a migration repository (Alembic's `init`): `README`, `script.ts.tmpl` and an empty
 * `versions/<branch>/` (kept by a `.gitkeep`) per branch. Touches no database.
 *
 * @param options.directory - the repository folder (created; relative paths resolve against the
 *   cwd). It may exist only if it is empty.
 * @param options.branches - one branch per bind (usually the bind names); used with `multidb`.
 * @param options.multidb - `true`: one folder per branch in `branches`; `false`: only the
 *   first of `branches` (`default` when there is none), the one bind of a project without
 *   `--multidb`.
 * @returns absolute paths of the files written, in order.
 * @throws {@link ConfigError} when the directory exists and is not empty (or is not a folder),
 *   or when a branch name is invalid or `branches` is empty with `multidb`.
 * @example
 * ```ts
 * await initRepository({ directory: 'migrations', branches: ['default', 'db2'], multidb: true });
 * // ['…/migrations/README', '…/migrations/script.ts.tmpl',
 * //  '…/migrations/versions/default/.gitkeep', '…/migrations/versions/db2/.gitkeep']
 * ```
 */
export async function initRepository(options: {
  directory: string;
  branches: readonly string[];
  multidb: boolean;
}): Promise<string[]> {
  const directory = resolve(options.directory);
  const branches = options.multidb ? [...new Set(options.branches)] : [options.branches[0] ?? 'default'];
  if (branches.length === 0) {
    throw new ConfigError('migrate init --multidb needs at least one bind (branch) name.');
  }
  for (const branch of branches) {
    if (!isValidBranchName(branch)) {
      throw new ConfigError(
        `Invalid branch name '${branch}': a branch is a folder name and a branch label, so use letters, digits, _ and -, starting with a letter or _ (at most 63).`,
      );
    }
    const reserved = reservedNameProblem(branch);
    if (reserved) throw new ConfigError(`Invalid bind name '${branch}': ${reserved}; nothing was written.`);
  }

  let existing: string[] | undefined;
  try {
    existing = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new ConfigError(`${directory} exists and is not a folder; choose another directory.`);
    if (code !== 'ENOENT') throw error;
  }
  if (existing && existing.length > 0) {
    throw new ConfigError(
      `Directory ${directory} already exists and is not empty; nothing was written. 'migrate init' writes only into a new or empty folder; ` +
        `to start a new bind's branch in an existing repository, write its first revision ('migrate revision -m MSG --bind <bind>').`,
    );
  }

  const files: [path: string, content: string][] = [
    [join(directory, 'README'), README],
    [join(directory, 'script.ts.tmpl'), SCRIPT_TEMPLATE],
    ...branches.map((b): [string, string] => [join(directory, 'versions', b, '.gitkeep'), '']),
  ];
  for (const branch of branches) await mkdir(join(directory, 'versions', branch), { recursive: true });
  for (const [path, content] of files) await writeFile(path, content, { encoding: 'utf8', flag: 'wx' });
  return files.map(([path]) => path);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders a starter `migrate.config.ts`: `defineConfig` from `@multidb/core`, the repository
 * directory, the default version table and naming convention (DESIGN §4), and one SQLite bind
 * per name (`sqlite:.data/<bind>.db`, relative to the config file) to be edited.
 *
 * @param options.directory - the repository folder as the config should name it (relative to the
 *   config file, e.g. `'migrations'`).
 * @param options.binds - bind names, in order.
 * @returns the TypeScript source.
 * @throws {@link ConfigError} when `binds` is empty.
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * const source = renderStarterConfig({ directory: 'migrations', binds: ['default', 'db2'] });
 * await writeFile('migrate.config.ts', source, { flag: 'wx' });
 * ```
 */
export function renderStarterConfig(options: { directory: string; binds: readonly string[] }): string {
  if (options.binds.length === 0) throw new ConfigError('A starter config needs at least one bind name.');
  const key = (name: string): string => (IDENTIFIER.test(name) ? name : renderStringLiteral(name));
  const convention = Object.entries(DEFAULT_NAMING_CONVENTION)
    .map(([kind, template]) => `    ${kind}: ${renderStringLiteral(template)},`)
    .join('\n');
  const binds = [...new Set(options.binds)]
    .map((bind) => `    ${key(bind)}: { url: ${renderStringLiteral(`sqlite:.data/${bind}.db`)} },`)
    .join('\n');
  return `import { defineConfig } from '@multidb/core';

// URLs: 'sqlite:relative/path.db' (relative to this file), 'sqlite:///absolute/path.db',
// 'postgres://user:password@host:5432/db', 'mysql://…', 'mariadb://…'.
export default defineConfig({
  directory: ${renderStringLiteral(options.directory.replace(/\\/g, '/'))},
  versionTable: 'multidb_version',
  namingConvention: {
${convention}
  },
  binds: {
${binds}
  },
});
`;
}
