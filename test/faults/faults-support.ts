// Helpers of the fault tests (test/faults/): database state snapshots, the one-line error check,
// revision files written straight into a branch folder, a resolve logger, and a live subprocess.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { MIGRATE_BIN, revisionSource, TempProject, type RunOutput } from '../support/project.js';

/** Everything in one bind's SQLite file: version rows, schema objects and every table's rows. */
export interface BindState {
  readonly versions: string[];
  readonly schema: { type: string; name: string; sql: string | null }[];
  readonly rows: Record<string, unknown[]>;
}

/** A bind's full state; a missing file and an empty database are the same (nothing there). */
export function bindState(p: TempProject, bind: string): BindState {
  if (!p.exists(`.data/${bind}.db`)) return { versions: [], schema: [], rows: {} };
  const schema = p.query<{ type: string; name: string; sql: string | null }>(
    bind,
    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  );
  const rows: Record<string, unknown[]> = {};
  for (const t of schema.filter((s) => s.type === 'table')) rows[t.name] = p.query(bind, `SELECT * FROM "${t.name}" ORDER BY 1`);
  return { versions: p.versionsApplied(bind), schema, rows };
}

/** Full state of several binds (default: the two binds of a default {@link TempProject}). */
export function dbState(p: TempProject, binds: readonly string[] = ['default', 'db2']): Record<string, BindState> {
  return Object.fromEntries(binds.map((b) => [b, bindState(p, b)]));
}

/**
 * Checks a failed command: the exit code, exactly one `ERROR:` line on stderr which is the last
 * line, no stack trace, nothing of the error on stdout, and every needle in the error line.
 * @returns the error line.
 */
export function expectOneLineError(out: RunOutput, needles: readonly (string | RegExp)[] = [], code = 1): string {
  const context = `exit ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
  expect(out.code, context).toBe(code);
  const lines = out.stderr.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.startsWith('ERROR:'));
  expect(errors, context).toHaveLength(1);
  expect(lines.at(-1), context).toBe(errors[0]);
  expect(out.stderr, context).not.toMatch(/^\s+at /m);
  expect(out.stdout, context).not.toContain('ERROR');
  const line = errors[0]!;
  for (const needle of needles) {
    if (typeof needle === 'string') expect(line, context).toContain(needle);
    else expect(line, context).toMatch(needle);
  }
  return line;
}

/** Fields of a revision file (see {@link revisionSource}); `file` overrides the file name. */
export type RevisionSpec = Parameters<typeof revisionSource>[0] & { file?: string };

/**
 * Writes a revision into `migrations/versions/<branch>/` (a branch root gets the branch as its
 * label unless `branchLabels` is given) and returns its path relative to the project.
 * `transform` may edit the rendered source (e.g. break it).
 */
export function addRevision(p: TempProject, branch: string, spec: RevisionSpec, transform?: (source: string) => string): string {
  const rel = `migrations/versions/${branch}/${spec.file ?? `${spec.revision}_${spec.message ?? 'rev'}.ts`}`.replace(/ /g, '_');
  const source = revisionSource({
    ...spec,
    branchLabels: spec.branchLabels ?? (spec.downRevision === null ? [branch] : []),
    downgrade: spec.downgrade ?? '',
  });
  p.write(rel, transform ? transform(source) : source);
  return rel;
}

/** 1-based line of the first line of a project file that contains `needle`. */
export function lineOf(p: TempProject, rel: string, needle: string): number {
  const index = p.read(rel).split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${rel}: no line contains ${needle}`);
  return index + 1;
}

/**
 * Writes a preload script into the project that logs every module request of a `migrate` run:
 * ESM specifiers through a `module.register()` resolve hook, CommonJS requests through
 * `Module._load`, and the URL of every ES module loaded through a load hook (a specifier can be
 * resolved without being loaded: `import.meta.resolve`) or script the bin reads (`*.script.cjs`). Returns the environment to run with,
 * a reader of the logged specifiers (ESM and CommonJS requests) and one of the loaded URLs.
 */
export function resolveLogger(p: TempProject): { env: NodeJS.ProcessEnv; specifiers: () => string[]; loaded: () => string[]; reset: () => void } {
  const log = join(p.dir, 'resolve.log');
  p.write(
    'resolve-hooks.mjs',
    [
      `import { appendFileSync } from 'node:fs';`,
      `let log;`,
      `export async function initialize(data) { log = data.log; }`,
      `export async function resolve(specifier, context, next) {`,
      `  appendFileSync(log, 'esm ' + specifier + '\\n');`,
      `  return next(specifier, context);`,
      `}`,
      `export async function load(url, context, next) {`,
      `  appendFileSync(log, 'load ' + url + '\\n');`,
      `  return next(url, context);`,
      `}`,
      ``,
    ].join('\n'),
  );
  const preload = p.write(
    'log-resolve.mjs',
    [
      `import { appendFileSync } from 'node:fs';`,
      `import Module, { register } from 'node:module';`,
      `const log = ${JSON.stringify(log)};`,
      `register(new URL('./resolve-hooks.mjs', import.meta.url), { data: { log } });`,
      `const load = Module._load;`,
      `Module._load = function (request, ...rest) {`,
      `  appendFileSync(log, 'cjs ' + request + '\\n');`,
      `  return load.call(this, request, ...rest);`,
      `};`,
      // The migrate bin reads its scripts (core, the CLI, the dialects: *.script.cjs) as files and
      // compiles them with vm.Script: logged as loaded too.
      `const fs = Module.createRequire(import.meta.url)('node:fs');`,
      `const readFileSync = fs.readFileSync;`,
      `fs.readFileSync = function (path, ...rest) {`,
      `  if (typeof path === 'string' && path.endsWith('.script.cjs')) appendFileSync(log, 'load file://' + path + '\\n');`,
      `  return readFileSync.call(this, path, ...rest);`,
      `};`,
      ``,
    ].join('\n'),
  );
  const lines = (kinds: RegExp) =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => kinds.test(l))
          .map((l) => l.replace(kinds, ''))
      : [];
  return {
    env: { NODE_OPTIONS: `--import=${preload}` },
    specifiers: () => lines(/^(esm|cjs) /),
    loaded: () => lines(/^load /),
    reset: () => p.write('resolve.log', ''),
  };
}

/** A `migrate` subprocess running in the background, with its output so far. */
export interface LiveRun {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when stderr matches (rejects after `timeoutMs` or when the process ends first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the full output once the process has exited. */
  readonly done: Promise<RunOutput>;
  /** Whether the process has exited. */
  readonly exited: boolean;
}

/** Starts `migrate ARGS` in the project without waiting for it. */
export function startMigrate(p: TempProject, args: readonly string[], env: NodeJS.ProcessEnv = {}): LiveRun {
  const child = spawn(process.execPath, [MIGRATE_BIN, ...args], {
    cwd: p.dir,
    env: { ...process.env, FORCE_COLOR: '0', ...p.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const listeners = new Set<() => void>();
  const run: LiveRun = {
    child,
    stdout: '',
    stderr: '',
    get exited() {
      return exited;
    },
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(run.stderr)) {
            cleanup();
            resolve();
          } else if (exited) {
            cleanup();
            reject(new Error(`process exited before stderr matched ${pattern}:\n${run.stdout}\n${run.stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern} on stderr:\n${run.stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    done: new Promise<RunOutput>((resolve) => {
      child.on('close', (code) => {
        exited = true;
        for (const l of [...listeners]) l();
        resolve({ code: code ?? 1, stdout: run.stdout, stderr: run.stderr });
      });
    }),
  };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    run.stdout += s;
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    run.stderr += s;
    for (const l of [...listeners]) l();
  });
  return run;
}

/**
 * A new project with a copy of another's config, env, repository and databases: cheaper than
 * re-running its upgrades for every test.
 */
export function cloneProject(template: TempProject): TempProject {
  const p = new TempProject([], { config: template.read('migrate.config.ts'), env: template.env });
  for (const dir of ['migrations', '.data']) if (template.exists(dir)) p.copyIn(join(template.dir, dir), dir);
  return p;
}
