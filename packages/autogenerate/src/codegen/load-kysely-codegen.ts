import { CodegenError } from './codegen-error.js';

/**
 * kysely-codegen, loaded only when used (it is CommonJS with its own view of Kysely's types).
 * kysely-codegen 0.20 requires the `typescript` package as it loads without declaring it (this
 * package asks for it as a peer dependency, which npm installs; `--legacy-peer-deps` or
 * `--omit=peer` skip it): that miss becomes a {@link CodegenError} saying what to install.
 * @param configFile - the config file, for the error (undefined for a config object).
 * @param bind - the bind being generated, for the error.
 * @param load - imports kysely-codegen (tests give one that fails).
 * @returns kysely-codegen's module.
 * @throws {@link CodegenError} when `typescript` cannot be found; any other error of the import as it is.
 * @internal In a module of its own, which no export of the package refers to: its type names
 *   kysely-codegen's module, whose declarations need packages an app does not have
 *   (`kysely-bun-sqlite`, `@libsql/kysely-libsql`), so an app compiled with `skipLibCheck: false`
 *   would fail on them.
 */
export async function loadKyselyCodegen(configFile: string | undefined, bind: string, load: () => Promise<typeof import('kysely-codegen')> = () => import('kysely-codegen')): Promise<typeof import('kysely-codegen')> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && /Cannot find (?:module|package) 'typescript'/.test(String((error as Error).message))) {
      throw new CodegenError(
        `migrate codegen (bind '${bind}') needs the 'typescript' package, which kysely-codegen loads and which is not installed: run \`npm install --save-dev typescript\` in your app, then run it again.`,
        configFile,
        bind,
      );
    }
    throw error;
  }
}
