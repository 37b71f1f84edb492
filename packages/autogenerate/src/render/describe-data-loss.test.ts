import { enumType, formatColumnType, parseColumnType, type ColumnType, type Op } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { describeDataLoss, describeUncheckedNarrowing, isNarrowingTypeChange, sameKindNarrowing } from './describe-data-loss.js';

const t = parseColumnType;

describe('isNarrowingTypeChange', () => {
  it.each([
    ['varchar(100)', 'varchar(50)', true],
    ['varchar(50)', 'varchar(100)', false],
    ['varchar(50)', 'varchar', false],
    ['varchar', 'varchar(50)', true],
    ['varchar(50)', 'text', false],
    ['char(2)', 'varchar(2)', false],
    ['text', 'varchar(200)', true],
    ['integer', 'bigint', false],
    ['bigint', 'integer', true],
    ['smallint', 'int', false],
    ['integer', 'numeric', false],
    ['integer', 'numeric(5,0)', true],
    ['numeric(10,2)', 'numeric(12,2)', false],
    ['numeric(10,2)', 'numeric(10,1)', true],
    ['numeric(10,2)', 'numeric(10,3)', true],
    ['numeric(10,2)', 'numeric(11,3)', false],
    ['real', 'double precision', false],
    ['double precision', 'real', true],
    ['date', 'timestamp', false],
    ['timestamp', 'date', true],
    ['integer', 'integer unsigned', true],
    ['text', 'integer', true],
    ['integer', 'text', true],
    ['text[]', 'text', true],
    ['numeric(10,2)', 'NUMERIC(10, 2)', false],
    // PostgreSQL: a jsonb value cast to json is its text, kept as it is; the other way drops
    // duplicate keys and whitespace. A time zone added or removed is a change of meaning.
    ['jsonb', 'json', false],
    ['json', 'jsonb', true],
    ['jsonb[]', 'json', true],
    ['timestamptz', 'timestamp', true],
  ])('%s → %s: %s', (from, to, narrowing) => {
    expect(isNarrowingTypeChange(t(from), t(to))).toBe(narrowing);
  });

  it('enums: dropping a member narrows, adding one does not; any enum fits in text', () => {
    expect(isNarrowingTypeChange(enumType('mood', ['a', 'b']), enumType('mood', ['a']))).toBe(true);
    expect(isNarrowingTypeChange(enumType('mood', ['a']), enumType('mood', ['a', 'b']))).toBe(false);
    expect(isNarrowingTypeChange(enumType('mood', ['a']), t('text'))).toBe(false);
    expect(isNarrowingTypeChange(t('text'), enumType('mood', ['a']))).toBe(true);
  });

  it('MySQL ENUM and SET: adding or reordering members widens, removing one narrows; an enum fits a string as long as its longest member', () => {
    expect(isNarrowingTypeChange(t("enum('sad','ok')"), t("ENUM('sad','ok','happy')"))).toBe(false);
    expect(isNarrowingTypeChange(t("enum('sad','ok','happy')"), t("enum('sad','ok')"))).toBe(true);
    expect(isNarrowingTypeChange(t("set('a','b')"), t("set('b','a','c')"))).toBe(false);
    expect(isNarrowingTypeChange(t("set('a','b','c')"), t("set('a','b')"))).toBe(true);
    expect(isNarrowingTypeChange(t("enum('sad','ok')"), t('varchar(3)'))).toBe(false);
    expect(isNarrowingTypeChange(t("enum('sad','ok')"), t('varchar(2)'))).toBe(true);
    expect(isNarrowingTypeChange(t("enum('sad','ok')"), t('varchar'))).toBe(false);
    expect(isNarrowingTypeChange(t('varchar(10)'), t("enum('sad','ok')"))).toBe(true);
  });

  it("an enum's longest member is counted in characters, as the databases count a varchar's length: an emoji is one, not two UTF-16 units", () => {
    expect(isNarrowingTypeChange(t("enum('☀','🌧')"), t('varchar(1)'))).toBe(false);
    expect(isNarrowingTypeChange(t("enum('☀','🌧🌧')"), t('varchar(1)'))).toBe(true);
    expect(isNarrowingTypeChange(enumType('weather', ['☀', '🌧']), t('char(1)'))).toBe(false);
  });
});

describe('describeDataLoss', () => {
  it('judges an enum as the database keeps it (storedType): on SQLite a varchar of its longest member, so an added member loses nothing', () => {
    // SQLite's canonical type of an enum: varchar(longest member); introspection reads the column back as that.
    const storedType = (type: ColumnType) => (type.name === 'enum' ? `varchar(${Math.max(...type.args.map((a) => String(a).length))})` : formatColumnType(type));
    const status = (values: string[]) => enumType('account_status', values);
    const alter = (from: ColumnType, to: ColumnType): Op => ({ kind: 'AlterColumn', table: 'parent', column: 'status', changes: { type: to }, existing: { type: from } });
    const added = alter(t('varchar(6)'), status(['active', 'closed', 'suspended']));
    expect(describeDataLoss(added, { storedType })).toBeUndefined();
    // Removing the member (the downgrade) narrows.
    expect(describeDataLoss(alter(status(['active', 'closed', 'suspended']), t('varchar(6)')), { storedType })).toBe(
      "changes 'parent'.'status' from enum('active','closed','suspended') to varchar(6): values that do not fit are cut, rounded or make the change fail",
    );
    // Where the database keeps enum types (PostgreSQL names them, MySQL keeps ENUM(…)), a string becoming an enum narrows.
    expect(describeDataLoss(added, { storedType: (type) => (type.enumName ?? formatColumnType(type)) })).toMatch(/^changes 'parent'\.'status' from varchar\(6\) to enum/);
    expect(describeDataLoss(added)).toMatch(/^changes 'parent'\.'status' from varchar\(6\)/);
  });


  it('dropped tables and columns, narrowing or unknown type changes; nothing for the rest', () => {
    expect(describeDataLoss({ kind: 'DropTable', table: "it's" })).toBe(`drops table "it's" and every row in it`);
    expect(describeDataLoss({ kind: 'DropColumn', table: 'user', column: 'a\nb' })).toBe("drops column 'user'.'a\\nb' and every value in it");
    expect(describeDataLoss({ kind: 'AlterColumn', table: 'u', column: 'c', changes: { type: t('varchar(5)') }, existing: { type: t('varchar(10)') } })).toBe(
      "changes 'u'.'c' from varchar(10) to varchar(5): values that do not fit are cut, rounded or make the change fail",
    );
    expect(describeDataLoss({ kind: 'AlterColumn', table: 'u', column: 'c', changes: { type: t('varchar(5)') }, existing: {} })).toBe(
      "changes the type of 'u'.'c' to varchar(5) without knowing the type before: values that do not fit are lost or make the change fail",
    );
    expect(describeDataLoss({ kind: 'AlterColumn', table: 'u', column: 'c', changes: { type: t('text') }, existing: { type: t('varchar(10)') } })).toBeUndefined();
    expect(describeDataLoss({ kind: 'AlterColumn', table: 'u', column: 'c', changes: { nullable: false }, existing: {} })).toBeUndefined();
    expect(describeDataLoss({ kind: 'DropIndex', table: 'u', name: 'ix' })).toBeUndefined();
    expect(describeDataLoss({ kind: 'DropEnum', name: 'mood' })).toBeUndefined();
    expect(describeDataLoss({ kind: 'BatchAlterTable', table: 'u', ops: [{ kind: 'DropColumn', table: 'u', column: 'c' }], options: {} })).toBeUndefined();
  });
});

describe('sameKindNarrowing', () => {
  const alter = (from: string | ColumnType, to: string | ColumnType): Op => ({
    kind: 'AlterColumn',
    table: 'u',
    column: 'c',
    changes: { type: typeof to === 'string' ? t(to) : to },
    existing: { type: typeof from === 'string' ? t(from) : from },
  });
  it.each([
    ['varchar(100)', 'varchar(50)', true],
    ['char(10)', 'varchar(5)', true],
    ['numeric(12,2)', 'numeric(10,2)', true],
    ['numeric(10,2)', 'decimal(10,1)', true],
    ['bigint', 'integer', true],
    ['double precision', 'real', true],
    ["enum('a','b','c')", "enum('a','b')", true],
    ["set('a','b')", "set('a')", true],
    ['varchar(50)', 'varchar(100)', false],
    ['integer', 'bigint', false],
    ['jsonb', 'json', false],
    ['json', 'jsonb', false],
    ['timestamptz', 'timestamp', false],
    ['timestamp', 'date', false],
    ['text', 'integer', false],
    ['bigint', 'numeric(10,0)', false],
    ['varchar(10)', 'varchar(5)[]', false],
  ])('%s → %s: %s', (from, to, narrows) => {
    expect(sameKindNarrowing(alter(from, to)) !== undefined).toBe(narrows);
  });

  it('gives the types as declared; nothing where the database checks no sizes, or for another op', () => {
    expect(sameKindNarrowing(alter('varchar(100)', 'varchar(50)'))).toEqual({ from: t('varchar(100)'), to: t('varchar(50)') });
    expect(sameKindNarrowing(alter('varchar(100)', 'varchar(50)'), { checksTypeSizes: false })).toBeUndefined();
    expect(sameKindNarrowing({ kind: 'DropColumn', table: 'u', column: 'c' })).toBeUndefined();
  });
});

describe('a database that checks no type sizes (SQLite: checksTypeSizes false)', () => {
  const alter = (from: string, to: string): Op => ({ kind: 'AlterColumn', table: 'item', column: 'size', changes: { type: t(to) }, existing: { type: t(from) } });
  const unchecked = { checksTypeSizes: false };

  it.each([
    ['varchar(2)', 'varchar(1)'],
    ['varchar(10)', 'char(5)'],
    ['varchar', 'varchar(50)'],
    ['numeric(10,2)', 'numeric(5,2)'],
    ['decimal(10,4)', 'numeric(10,2)'],
    ['bigint', 'smallint'],
    ['double precision', 'real'],
  ])('%s -> %s only narrows a size: no data loss, a note that the values are kept', (from, to) => {
    expect(describeDataLoss(alter(from, to), unchecked)).toBeUndefined();
    expect(describeUncheckedNarrowing(alter(from, to), unchecked)).toBe(
      `changes 'item'.'size' from ${from} to ${to}: the database does not check the new size and keeps every value as stored`,
    );
    // Where sizes are checked (the default: PostgreSQL, MySQL) the change loses data, and no note.
    expect(describeDataLoss(alter(from, to))).toBe(`changes 'item'.'size' from ${from} to ${to}: values that do not fit are cut, rounded or make the change fail`);
    expect(describeUncheckedNarrowing(alter(from, to))).toBeUndefined();
    expect(describeUncheckedNarrowing(alter(from, to), { checksTypeSizes: true })).toBeUndefined();
  });

  it.each([
    ['text', 'integer'],
    ['varchar(10)', 'numeric(5,2)'],
    ['real', 'integer'],
    ['numeric(10,2)', 'integer'],
    ['integer unsigned', 'integer'],
    ['text[]', 'text'],
  ])('%s -> %s converts the values (a CAST in the rebuild): still data loss, no note', (from, to) => {
    expect(describeDataLoss(alter(from, to), unchecked)).toBe(`changes 'item'.'size' from ${from} to ${to}: values that do not fit are cut, rounded or make the change fail`);
    expect(describeUncheckedNarrowing(alter(from, to), unchecked)).toBeUndefined();
  });

  it('drops lose data whatever the database checks; widenings and other ops get neither comment', () => {
    expect(describeDataLoss({ kind: 'DropColumn', table: 'item', column: 'size' }, unchecked)).toBe("drops column 'item'.'size' and every value in it");
    expect(describeDataLoss({ kind: 'DropTable', table: 'item' }, unchecked)).toBe("drops table 'item' and every row in it");
    expect(describeUncheckedNarrowing({ kind: 'DropColumn', table: 'item', column: 'size' }, unchecked)).toBeUndefined();
    expect(describeDataLoss(alter('varchar(1)', 'varchar(2)'), unchecked)).toBeUndefined();
    expect(describeUncheckedNarrowing(alter('varchar(1)', 'varchar(2)'), unchecked)).toBeUndefined();
    // A type change from an unknown type still may lose data.
    const unknown: Op = { kind: 'AlterColumn', table: 'item', column: 'size', changes: { type: t('varchar(1)') }, existing: {} };
    expect(describeDataLoss(unknown, unchecked)).toMatch(/without knowing the type before/);
    expect(describeUncheckedNarrowing(unknown, unchecked)).toBeUndefined();
  });

  it('an enum the database keeps as a string is judged as that string (SQLite: varchar of its longest member)', () => {
    const storedType = (type: ColumnType) => (type.name === 'enum' ? `varchar(${Math.max(...type.args.map((a) => String(a).length))})` : formatColumnType(type));
    const op: Op = { kind: 'AlterColumn', table: 'item', column: 'size', changes: { type: t("enum('s','m','l')") }, existing: { type: t('varchar(2)') } };
    expect(describeDataLoss(op, { storedType, checksTypeSizes: false })).toBeUndefined();
    expect(describeUncheckedNarrowing(op, { storedType, checksTypeSizes: false })).toBe(
      "changes 'item'.'size' from varchar(2) to enum('s','m','l'): the database does not check the new size and keeps every value as stored",
    );
  });
});
