import type { ColumnType, TypeSubstitution } from '@multidb/core';

/** Options of a {@link RenderContext}. */
export interface RenderOptions {
  /** Print width of the revision file, in columns (default 100, the project's Prettier width). */
  readonly printWidth?: number;
  /**
   * Indentation the rendered lines get in the file (default 2: the bodies of `upgrade` and
   * `downgrade` in the default `script.ts.tmpl`); lines are broken to fit `printWidth` with it.
   */
  readonly indent?: number;
  /**
   * The type text the bind's database keeps for a declared type (its dialect comparator's
   * `canonicalType`), for the `// Data loss:` comments (see `describeDataLoss`). Default: types as declared.
   */
  readonly storedType?: (type: ColumnType) => string;
  /**
   * The bind's database checks a column type's size (its dialect's `checksTypeSizes` capability).
   * False (SQLite): a change that only narrows a size gets `// Note: … keeps every value as
   * stored` instead of `// Data loss: …` (see `describeUncheckedNarrowing`). Default true.
   */
  readonly checksTypeSizes?: boolean;
  /**
   * Column types the database gets as another type, or cannot get (the bind comparison's
   * `typeSubstitutions`): each op declaring one gets a comment above it, `// WARNING: column 'at':
   * timestamptz becomes datetime: …` (`// Note: …` when the meaning is kept). Default: none.
   */
  readonly typeSubstitutions?: readonly TypeSubstitution[];
}

/**
 * What rendering ops needs to remember across calls: the print width and the imports the
 * rendered code uses (`enumType` from `@multidb/core` for an enum column type). Create one per
 * revision file and pass it to every {@link renderOp} call of that file.
 *
 * @example
 * ```ts
 * const ctx = new RenderContext();
 * const code = renderOp({ kind: 'CreateEnum', name: 'mood', values: ['sad', 'ok'] }, ctx);
 * ctx.imports(); // '' (no enumType used), or "import { enumType } from '@multidb/core';"
 * ```
 */
export class RenderContext {
  /** Print width, in columns. */
  readonly printWidth: number;
  /** Indentation of the rendered lines in the file, in columns. */
  readonly indent: number;
  /** {@link RenderOptions.storedType}. */
  readonly storedType: ((type: ColumnType) => string) | undefined;
  /** {@link RenderOptions.checksTypeSizes}. */
  readonly checksTypeSizes: boolean;
  /** {@link RenderOptions.typeSubstitutions}. */
  readonly typeSubstitutions: readonly TypeSubstitution[];
  readonly #imports = new Map<string, Set<string>>();

  constructor(options: RenderOptions = {}) {
    this.printWidth = options.printWidth ?? 100;
    this.indent = options.indent ?? 2;
    this.storedType = options.storedType;
    this.checksTypeSizes = options.checksTypeSizes ?? true;
    this.typeSubstitutions = options.typeSubstitutions ?? [];
  }

  /** Columns available to a rendered line. */
  get width(): number {
    return Math.max(this.printWidth - this.indent, 20);
  }

  /**
   * Records that the rendered code uses a named export of a module.
   * @param name - the export, e.g. `'enumType'`.
   * @param from - the module, e.g. `'@multidb/core'`.
   */
  addImport(name: string, from: string): void {
    const names = this.#imports.get(from) ?? new Set<string>();
    names.add(name);
    this.#imports.set(from, names);
  }

  /**
   * The import lines of every recorded export, one line per module, names sorted.
   * @returns e.g. `"import { enumType } from '@multidb/core';"`; `''` when nothing was recorded.
   */
  imports(): string {
    return [...this.#imports.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, names]) => `import { ${[...names].sort().join(', ')} } from '${from}';`)
      .join('\n');
  }
}
