// Projects of one bind with models, loaded in-process: what the adopt-then-change tests build on.
import { join } from 'node:path';
import { createModuleLoader, initRepository, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll } from 'vitest';
import { okInProcess } from './in-process.js';
import { TempProject, type RunOutput } from './project.js';

/** `@multidb/core` as a project's config and models import it: this checkout's build. */
export const CORE_MODULE_ALIAS: Readonly<Record<string, string>> = {
  '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname,
};

/**
 * A maker of projects with one bind `app` at a URL, its models in `models/app.ts`, its repository
 * initialised and its environment loaded (no module or transform cache, so a rewritten models file
 * is read again after `env.invalidate()`). Every environment is closed and every folder removed
 * after the test file's tests (call it at the file's top level).
 * @example
 * ```ts
 * const project = useModelsProjects();
 * it('…', async () => {
 *   const { p, env } = await project(dbs.adopted.url);
 *   p.write('models/app.ts', source);
 * });
 * ```
 */
export function useModelsProjects(): (url: string) => Promise<{ p: TempProject; env: MigrationEnvironment }> {
  const projects: TempProject[] = [];
  const envs: MigrationEnvironment[] = [];
  afterAll(async () => {
    for (const env of envs) await env.close();
    projects.forEach((p) => p.remove());
  });
  return async (url) => {
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models/app.ts' } } });\n`,
    });
    projects.push(p);
    await initRepository({ directory: join(p.dir, 'migrations'), branches: ['app'], multidb: true });
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: CORE_MODULE_ALIAS, moduleCache: false, fsCache: false }) });
    envs.push(env);
    return { p, env };
  };
}

/**
 * A project for the `migrate` CLI with one bind `app` at `url`, its models in `./models.ts`, `migrate
 * init --multidb` run (in this process); added to `projects` (the caller removes them after its tests).
 */
export async function cliModelsProject(url: string, projects: TempProject[]): Promise<TempProject> {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } } });\n`,
  });
  projects.push(p);
  await okInProcess(p.dir, ['init', '--multidb']);
  return p;
}

/** A models module of `definition` (defineModels' argument). */
export const modelsModule = (definition: object): string => `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify(definition, null, 2)});\n`;

/** The WARNING lines of a command's stderr. */
export const warningLines = (out: RunOutput): string[] => out.stderr.split('\n').filter((l) => l.includes('WARNING'));

/** The revision file a `migrate migrate` or `revision` wrote (its `Generating … done` line), if any. */
export const writtenRevision = (out: RunOutput): string | undefined => /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
