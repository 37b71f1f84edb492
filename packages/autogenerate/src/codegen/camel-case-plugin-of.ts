/** What {@link camelCasePluginOf} finds: a Kysely `CamelCasePlugin`, of whichever copy of kysely. */
export interface CamelCasePluginLike {
  /** Its options (`upperCase`, `underscoreBeforeDigits`, …), as given to its constructor. */
  readonly opt?: Readonly<Record<string, unknown>>;
  /** The name a result row's key (a snake_case column) takes: `camelCase('first_name')` is `'firstName'`. */
  camelCase(name: string): string;
}

/**
 * What {@link camelCasePluginOf} reads of a Kysely instance (of any copy of kysely): its
 * executor's plugins. A structural type, so this package's declarations import no `kysely`.
 */
export interface KyselyWithPlugins {
  /** Kysely's `getExecutor()`: the executor whose `plugins` the instance's queries go through. */
  getExecutor(): { readonly plugins: readonly object[] };
}

/**
 * The `CamelCasePlugin` of a bind's Kysely instance (`binds.<bind>.kysely`), if it has one: the
 * plugin that `op.db` (which keeps the instance's plugins) applies, so that `migrate codegen`
 * writes the camelCase names `op.db` takes. Kysely keeps an instance's plugins in its executor
 * (`db.getExecutor().plugins`). The plugin is recognised by its class name (`CamelCasePlugin`, or
 * a subclass of it) rather than with `instanceof`, since the application's copy of kysely is
 * usually not multidb's.
 * @param db - the bind's Kysely instance; `undefined` for a bind given a URL (whose `op.db` has no plugins).
 * @returns the plugin, or `undefined` when there is none.
 * @example
 * ```ts
 * const camelCase = camelCasePluginOf(env.bind('app').config.kysely) !== undefined;
 * ```
 */
export function camelCasePluginOf(db: KyselyWithPlugins | undefined): CamelCasePluginLike | undefined {
  if (db === undefined || typeof db.getExecutor !== 'function') return undefined;
  return db.getExecutor().plugins.find((plugin): plugin is typeof plugin & CamelCasePluginLike => {
    if (typeof (plugin as Partial<CamelCasePluginLike>).camelCase !== 'function') return false;
    for (let proto: unknown = Object.getPrototypeOf(plugin); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      if ((proto as { constructor?: { name?: string } }).constructor?.name === 'CamelCasePlugin') return true;
    }
    return false;
  });
}
