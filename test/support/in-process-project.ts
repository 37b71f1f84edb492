import { runInProcess } from './in-process.js';
import { TempProject, type RunOutput, type TempProjectOptions } from './project.js';

/**
 * A {@link TempProject} whose `migrate` runs ({@link TempProject.run}, so `ok` and `revision`
 * too) are `main` in this process ({@link runInProcess}), not a subprocess: for tests about what
 * the CLI does (output, exit codes, database state), not about the process. A run given
 * environment variables needs a subprocess (`runMigrate`): `env` is refused here.
 */
export class InProcessProject extends TempProject {
  constructor(binds?: readonly string[], options: Omit<TempProjectOptions, 'env'> = {}) {
    if ('env' in options) throw new Error('InProcessProject runs migrate in this process: it cannot give a run its own environment (use TempProject)');
    super(binds, options);
  }

  override run(...args: string[]): Promise<RunOutput> {
    return runInProcess(this.dir, args);
  }
}
