// Projects of one bind with models, loaded in-process: what the adopt-then-change tests build on.
import { join } from 'node:path';
import { createModuleLoader, initRepository, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll } from 'vitest';
import { TempProject } from './project.js';

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
