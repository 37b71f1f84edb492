import type { AddEnumValueOp, EnumSnapshot } from '@multidb/core';
import { objectKey, tableLabel, type CompareContext } from './compare-context.js';
import { compareText } from './match-objects.js';
import type { PlannedOp } from './table-plan.js';

/** The enum ops of a comparison: creates and new members (run first), drops (run last). */
export interface EnumPlan {
  readonly creates: readonly PlannedOp[];
  readonly drops: readonly PlannedOp[];
}

/**
 * What the database's columns (of the tables introspection read) do with an enum type only the
 * database has, once the revision has run:
 * - `unused`: no column uses it (a type made by hand or another tool, used perhaps by a function
 *   or a table of a schema the models do not name);
 * - `kept`: a column that stays uses it (`table` names its table);
 * - `released`: columns used it, and the revision drops every one of them (with its table, or
 *   alone) or changes its type.
 */
export type EnumUse = { readonly kind: 'unused' } | { readonly kind: 'kept'; readonly table: string } | { readonly kind: 'released' };

/**
 * Compares the named enum types of both sides (only with `capabilities.namedEnums`; elsewhere an
 * enum is a column type, compared as one):
 * - an enum only the models have is created (`CreateEnum`);
 * - an enum only the database has is dropped (`DropEnum`, with its members) only when this
 *   revision takes away the columns that used it (`released`, as when a model's enum column or
 *   table is removed); one a remaining column uses, or one no column uses (no model declared it,
 *   as Alembic never drops a type it did not create), is left alone with a warning;
 * - new members become `AddEnumValue` ops placed before the next existing member (or after the
 *   previous one), when the database's members are still all there in the same order;
 * - removed or reordered members are a warning naming the enum: PostgreSQL cannot remove or
 *   reorder members, so that is done by hand. No op.
 *
 * @param useOf - for an enum only the database has (by name), what the database's columns do with it.
 */
export function compareEnums(
  ctx: CompareContext,
  models: readonly EnumSnapshot[],
  database: readonly EnumSnapshot[],
  useOf: (name: string) => EnumUse,
): EnumPlan {
  if (!ctx.capabilities.namedEnums) return { creates: [], drops: [] };
  const included = (e: EnumSnapshot) => ctx.include.name(e.name, 'enum', e.schema);
  const byKey = (list: readonly EnumSnapshot[]) =>
    new Map(
      list
        .filter(included)
        .map((e) => [objectKey(e.name, e.schema), e] as const)
        .sort((a, b) => compareText(a[0], b[0])),
    );
  const m = byKey(models);
  const d = byKey(database);
  const creates: PlannedOp[] = [];
  const drops: PlannedOp[] = [];
  const schemaOf = (e: EnumSnapshot) => (e.schema === undefined ? {} : { schema: e.schema });
  const ask = (e: EnumSnapshot, reflected: boolean, hasCounterpart: boolean) =>
    ctx.include.object({ type: 'enum', name: e.name, ...schemaOf(e), reflected, hasCounterpart });

  for (const [key, model] of m) {
    const existing = d.get(key);
    const label = tableLabel(model.name, model.schema);
    if (!existing) {
      if (!ask(model, false, false)) continue;
      creates.push({
        op: { kind: 'CreateEnum', name: model.name, ...schemaOf(model), values: model.values },
        changes: [{ kind: 'add_enum', name: model.name, ...schemaOf(model), line: `Detected added enum '${label}' (${model.values.join(', ')})` }],
      });
      continue;
    }
    if (!ask(model, false, true) || !ask(existing, true, true)) continue;
    if (model.values.join('\u0000') === existing.values.join('\u0000')) continue;
    const known = new Set(existing.values);
    const kept = model.values.filter((v) => known.has(v));
    if (kept.length !== existing.values.length || kept.some((v, i) => v !== existing.values[i])) {
      ctx.warn(
        `Enum '${label}' has members the models no longer list, or lists in another order (database: ${existing.values.join(', ')}; ` +
          `models: ${model.values.join(', ')}). PostgreSQL cannot remove or reorder enum members: change it by hand ` +
          '(create a new type, convert the columns that use it, drop the old one). No op was generated for it.',
      );
      continue;
    }
    model.values.forEach((value, i) => {
      if (known.has(value)) return;
      const next = model.values.slice(i + 1).find((v) => known.has(v));
      const position = next !== undefined ? { before: next } : i > 0 ? { after: model.values[i - 1]! } : {};
      const op: AddEnumValueOp = { kind: 'AddEnumValue', name: model.name, ...schemaOf(model), value, ...position };
      creates.push({ op, changes: [{ kind: 'add_enum_value', name: model.name, ...schemaOf(model), to: value, line: `Detected added value '${value}' to enum '${label}'` }] });
    });
  }
  for (const [key, existing] of d) {
    if (m.has(key) || !ask(existing, true, false)) continue;
    const label = tableLabel(existing.name, existing.schema);
    const use = useOf(existing.name);
    if (use.kind === 'kept') {
      ctx.warn(`Enum '${label}' is in the database but not in the models; left alone: table '${use.table}' still uses it.`);
      continue;
    }
    if (use.kind === 'unused') {
      ctx.warn(
        `Enum '${label}' is in the database but not in the models, and no column of the tables compared uses it; left alone: ` +
          'autogenerate drops an enum type only with the columns that used it (a function, or a table the models leave out, may use it). ' +
          `If nothing does, drop it by hand: await op.dropEnum('${existing.name}', { ${existing.schema === undefined ? '' : `schema: '${existing.schema}', `}existing: { values: [${existing.values.map((v) => `'${v}'`).join(', ')}] } }).`,
      );
      continue;
    }
    drops.push({
      op: { kind: 'DropEnum', name: existing.name, ...schemaOf(existing), existing: { values: existing.values } },
      changes: [{ kind: 'remove_enum', name: existing.name, ...schemaOf(existing), line: `Detected removed enum '${label}'` }],
    });
  }
  return { creates, drops };
}
