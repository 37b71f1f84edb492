import type { AutogenerateObjectType, AutogenerateOptions, IncludeObjectContext } from '@multidb/core';

/**
 * The `includeName` and `includeObject` hooks of a comparison, each asked at most once per object
 * (answers are remembered by type, schema, table and name), so a hook with side effects or one
 * that counts sees each object once. An object both sides have under one name is asked about once,
 * as Alembic asks: from the models' side (`reflected: false`, `hasCounterpart: true`).
 */
export class IncludeFilter {
  readonly #includeName: AutogenerateOptions['includeName'];
  readonly #includeObject: AutogenerateOptions['includeObject'];
  readonly #memo = new Map<string, boolean>();

  constructor(options: Pick<AutogenerateOptions, 'includeName' | 'includeObject'>) {
    this.#includeName = options.includeName;
    this.#includeObject = options.includeObject;
  }

  /**
   * The hooks as options of another comparison that remember through this filter: several
   * comparisons of one bind (the rename candidates asked again, then the comparison itself) ask
   * each object once between them. Only the hooks that are set.
   */
  hooks(): Pick<AutogenerateOptions, 'includeName' | 'includeObject'> {
    return {
      ...(this.#includeName ? { includeName: (name: string, type: AutogenerateObjectType, parent: { readonly schema?: string }) => this.name(name, type as 'table' | 'enum', parent.schema) } : {}),
      ...(this.#includeObject ? { includeObject: (context: IncludeObjectContext) => this.object(context) } : {}),
    };
  }

  /** `includeName` for a table or enum name (either side; the same name is asked once). */
  name(name: string, type: 'table' | 'enum', schema: string | undefined): boolean {
    const hook = this.#includeName;
    if (!hook) return true;
    const key = `n\u0000${type}\u0000${schema ?? ''}\u0000${name}`;
    let answer = this.#memo.get(key);
    if (answer === undefined) {
      answer = hook(name, type, schema === undefined ? {} : { schema }) !== false;
      this.#memo.set(key, answer);
    }
    return answer;
  }

  /**
   * `includeObject` for one object (of either side: an object of the same type, schema, table and
   * name is asked about once, the first time; later asks get that answer).
   */
  object(context: IncludeObjectContext): boolean {
    const hook = this.#includeObject;
    if (!hook) return true;
    const key = `o\u0000${context.type}\u0000${context.schema ?? ''}\u0000${context.table ?? ''}\u0000${context.name}`;
    let answer = this.#memo.get(key);
    if (answer === undefined) {
      answer = hook(Object.freeze({ ...context })) !== false;
      this.#memo.set(key, answer);
    }
    return answer;
  }

  /**
   * `includeObject` for an object of the models (`model`), of the database (`database`) or both
   * (a matched pair: compared only when both sides are included).
   */
  objects(
    type: AutogenerateObjectType,
    where: { readonly table?: string; readonly databaseTable?: string; readonly schema?: string },
    modelName: string | undefined,
    databaseName: string | undefined,
  ): boolean {
    if (!this.#includeObject) return true;
    const hasCounterpart = modelName !== undefined && databaseName !== undefined;
    const base = (table: string | undefined) => ({
      type,
      ...(table === undefined ? {} : { table }),
      ...(where.schema === undefined ? {} : { schema: where.schema }),
      hasCounterpart,
    });
    // Both sides are asked (no short cut), so every object of each side is seen; a pair of one
    // name (and one table) is one object, asked about once from the models' side.
    const model = modelName === undefined || this.object({ ...base(where.table), name: modelName, reflected: false });
    const database = databaseName === undefined || this.object({ ...base(where.databaseTable ?? where.table), name: databaseName, reflected: true });
    return model && database;
  }
}

export type { AutogenerateObjectType };
