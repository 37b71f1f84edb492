import { ConfigError } from '@multidb/core';

/**
 * `migrate codegen` cannot run for a bind: it names no `types` file, or no bind does. A
 * `ConfigError` (`code` `'CONFIG'`) whose `file` is the config file (undefined for a config object,
 * which has none); `bind` names the bind when one is concerned.
 * @example
 * ```ts
 * try { await codegen(env, ['db2']); }
 * catch (e) { if (e instanceof CodegenError) console.error(`${e.bind ?? 'config'}: ${e.message}`); }
 * ```
 */
export class CodegenError extends ConfigError {
  /** The bind concerned (`undefined`: the config as a whole). */
  readonly bind: string | undefined;
  constructor(message: string, file: string | undefined, bind?: string) {
    super(message, file);
    this.bind = bind;
  }
}
