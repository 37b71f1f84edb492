import { describe, expect, it } from 'vitest';
import { parseColumnType } from '../schema/column-type.js';
import { freezeDeep } from '../schema/freeze-deep.js';
import type { Op, OpKind, OpOfKind } from './op-objects.js';
import { reverseOp, type ReversedOp } from './reverse-op.js';
import type { IndexSnapshot, TableSnapshot } from '../schema/table-snapshot.js';

const VARCHAR3 = parseColumnType('varchar(3)');
const VARCHAR10 = parseColumnType('varchar(10)');
const INTEGER = parseColumnType('integer');
const NUMERIC = parseColumnType('numeric(10,2)');
const TIMESTAMP = parseColumnType('timestamp');

const GENRE: TableSnapshot = {
  name: 'Genre',
  columns: [
    { name: 'GenreId', type: INTEGER, nullable: false, primaryKey: true },
    { name: 'Name', type: parseColumnType('nvarchar(120)'), nullable: true },
  ],
  foreignKeys: [],
  uniqueConstraints: [{ name: 'uq_Genre_Name', columns: ['Name'] }],
  checkConstraints: [],
  indexes: [],
};
const GENRE_IN_MUSIC: TableSnapshot = { ...GENRE, schema: 'music' };

const IX_TRACK_ALBUM: IndexSnapshot = { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: false };
const IX_TRACK_PARTIAL: IndexSnapshot = { name: 'ix_Track_Name', columns: ['Name', { sql: 'lower("Name")' }], unique: true, where: '"Name" IS NOT NULL' };

/** One op and the inverse `reverseOp` must give; `roundTrip`: reversing the inverse gives the op back. */
interface Case<K extends OpKind> {
  readonly title: string;
  readonly op: OpOfKind<K>;
  readonly expected: ReversedOp | { readonly irreversible: string };
  readonly roundTrip?: boolean;
}

/** Keyed by every op kind, so a new kind fails to compile until it has cases here. */
const CASES: { readonly [K in OpKind]: readonly Case<K>[] } = {
  CreateTable: [
    {
      title: 'drops the table, keeping its definition',
      op: { kind: 'CreateTable', table: GENRE },
      expected: { kind: 'DropTable', table: 'Genre', existing: GENRE },
      roundTrip: true,
    },
    {
      title: 'in a schema: drops it from that schema',
      op: { kind: 'CreateTable', table: GENRE_IN_MUSIC },
      expected: { kind: 'DropTable', table: 'Genre', schema: 'music', existing: GENRE_IN_MUSIC },
      roundTrip: true,
    },
  ],
  DropTable: [
    {
      title: 'with existing: creates it again',
      op: { kind: 'DropTable', table: 'Genre', existing: GENRE },
      expected: { kind: 'CreateTable', table: GENRE },
      roundTrip: true,
    },
    {
      title: "in a schema, existing without one: creates it in the op's schema",
      op: { kind: 'DropTable', table: 'Genre', schema: 'music', existing: GENRE },
      expected: { kind: 'CreateTable', table: GENRE_IN_MUSIC },
    },
    {
      title: 'without existing: irreversible',
      op: { kind: 'DropTable', table: 'Genre' },
      expected: { irreversible: "dropTable('Genre') has no existing table definition" },
    },
  ],
  RenameTable: [
    {
      title: 'renames back',
      op: { kind: 'RenameTable', table: 'Genre', newName: 'MusicGenre' },
      expected: { kind: 'RenameTable', table: 'MusicGenre', newName: 'Genre' },
      roundTrip: true,
    },
    {
      title: 'keeps the schema',
      op: { kind: 'RenameTable', table: 'Genre', schema: 'music', newName: 'MusicGenre' },
      expected: { kind: 'RenameTable', table: 'MusicGenre', schema: 'music', newName: 'Genre' },
      roundTrip: true,
    },
  ],
  AddColumn: [
    {
      title: 'drops the column, keeping its definition',
      op: { kind: 'AddColumn', table: 'Invoice', column: { name: 'Currency', type: VARCHAR3, nullable: true, default: 'USD', comment: 'ISO 4217' } },
      expected: { kind: 'DropColumn', table: 'Invoice', column: 'Currency', existing: { type: VARCHAR3, nullable: true, default: 'USD', comment: 'ISO 4217' } },
      roundTrip: true,
    },
    {
      title: 'keeps the schema',
      op: { kind: 'AddColumn', table: 'Invoice', schema: 'billing', column: { name: 'Currency', type: VARCHAR3, nullable: false } },
      expected: { kind: 'DropColumn', table: 'Invoice', schema: 'billing', column: 'Currency', existing: { type: VARCHAR3, nullable: false } },
      roundTrip: true,
    },
  ],
  DropColumn: [
    {
      title: 'with existing type: adds the column back',
      op: { kind: 'DropColumn', table: 'Invoice', column: 'Currency', existing: { type: VARCHAR3, nullable: true } },
      expected: { kind: 'AddColumn', table: 'Invoice', column: { name: 'Currency', type: VARCHAR3, nullable: true } },
      roundTrip: true,
    },
    {
      title: 'without existing: irreversible',
      op: { kind: 'DropColumn', table: 'Invoice', column: 'Currency' },
      expected: { irreversible: "dropColumn('Invoice', 'Currency') has no existing column type" },
    },
    {
      title: 'with existing but no type: irreversible',
      op: { kind: 'DropColumn', table: 'Invoice', column: 'Currency', existing: { nullable: true } as never },
      expected: { irreversible: "dropColumn('Invoice', 'Currency') has no existing column type" },
    },
  ],
  AlterColumn: [
    {
      title: 'a serial made an identity (existing.serialSequence): made that serial again',
      op: { kind: 'AlterColumn', table: 'T', column: 'id', changes: { identity: 'always' }, existing: { type: INTEGER, autoincrement: true, serialSequence: 'T_id_seq' } },
      expected: { kind: 'AlterColumn', table: 'T', column: 'id', changes: { serial: 'T_id_seq' }, existing: { type: INTEGER, autoincrement: 'always' } },
      roundTrip: true,
    },
    {
      title: 'an identity switched to ALWAYS: switched back BY DEFAULT',
      op: { kind: 'AlterColumn', table: 'T', column: 'id', changes: { identity: 'always' }, existing: { autoincrement: true } },
      expected: { kind: 'AlterColumn', table: 'T', column: 'id', changes: { identity: 'by-default' }, existing: { autoincrement: 'always' } },
      roundTrip: true,
    },
    {
      title: 'serial without existing autoincrement: irreversible',
      op: { kind: 'AlterColumn', table: 'T', column: 'id', changes: { serial: 'T_id_seq' }, existing: {} },
      expected: { irreversible: "alterColumn('T', 'id') lacks existing autoincrement" },
    },
    {
      title: 'type change with existing type: changes it back',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { type: NUMERIC }, existing: { type: INTEGER, nullable: false } },
      expected: { kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { type: INTEGER }, existing: { type: NUMERIC, nullable: false } },
      roundTrip: true,
    },
    {
      title: 'ON UPDATE added (none before): removes it',
      op: { kind: 'AlterColumn', table: 'Doc', column: 'At', changes: { onUpdate: 'CURRENT_TIMESTAMP' }, existing: { type: TIMESTAMP, nullable: true } },
      expected: { kind: 'AlterColumn', table: 'Doc', column: 'At', changes: { onUpdate: null }, existing: { type: TIMESTAMP, nullable: true, onUpdate: 'CURRENT_TIMESTAMP' } },
      roundTrip: true,
    },
    {
      title: 'collation set (the default before): back to the default',
      op: { kind: 'AlterColumn', table: 'T', column: 'c', changes: { collation: 'C' }, existing: { type: TIMESTAMP } },
      expected: { kind: 'AlterColumn', table: 'T', column: 'c', changes: { collation: null }, existing: { type: TIMESTAMP, collation: 'C' } },
      roundTrip: true,
    },
    {
      title: 'a generated column retyped: the generation expression stays in existing (MySQL restates it)',
      op: { kind: 'AlterColumn', table: 'Line', column: 'Total', changes: { type: TIMESTAMP }, existing: { type: TIMESTAMP, nullable: true, generated: { sql: 'a + 1', stored: true } } },
      expected: { kind: 'AlterColumn', table: 'Line', column: 'Total', changes: { type: TIMESTAMP }, existing: { type: TIMESTAMP, nullable: true, generated: { sql: 'a + 1', stored: true } } },
      roundTrip: true,
    },
    {
      title: 'ON UPDATE changed: puts the one before back',
      op: { kind: 'AlterColumn', table: 'Doc', column: 'At', changes: { onUpdate: 'CURRENT_TIMESTAMP(3)' }, existing: { onUpdate: 'CURRENT_TIMESTAMP' } },
      expected: { kind: 'AlterColumn', table: 'Doc', column: 'At', changes: { onUpdate: 'CURRENT_TIMESTAMP' }, existing: { onUpdate: 'CURRENT_TIMESTAMP(3)' } },
      roundTrip: true,
    },
    {
      title: 'type change without existing type: irreversible',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { type: NUMERIC }, existing: { nullable: false } },
      expected: { irreversible: "alterColumn('Invoice', 'Total') lacks existingType" },
    },
    {
      title: 'nullable change without existing nullable: irreversible',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { nullable: false }, existing: { type: NUMERIC } },
      expected: { irreversible: "alterColumn('Invoice', 'Total') lacks existingNullable" },
    },
    {
      title: 'type, nullable and comment all missing: names every missing field',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { type: NUMERIC, nullable: true, comment: 'x' }, existing: {} },
      expected: { irreversible: "alterColumn('Invoice', 'Total') lacks existingType, existingNullable, existingComment" },
    },
    {
      title: 'nullable and comment with existing values: swaps them, keeps unchanged existing fields',
      op: {
        kind: 'AlterColumn',
        table: 'Invoice',
        schema: 'billing',
        column: 'Total',
        changes: { nullable: true, comment: 'gross' },
        existing: { type: NUMERIC, nullable: false, comment: null, default: 0, autoincrement: false },
      },
      expected: {
        kind: 'AlterColumn',
        table: 'Invoice',
        schema: 'billing',
        column: 'Total',
        changes: { nullable: false, comment: null },
        existing: { type: NUMERIC, nullable: true, comment: 'gross', default: 0, autoincrement: false },
      },
      roundTrip: true,
    },
    {
      title: 'default set where there was none: drops the default',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Currency', changes: { default: 'USD' }, existing: { type: VARCHAR3 } },
      expected: { kind: 'AlterColumn', table: 'Invoice', column: 'Currency', changes: { default: null }, existing: { type: VARCHAR3, default: 'USD' } },
    },
    {
      title: 'default changed with existing default: restores it',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Currency', changes: { default: { sql: 'CURRENT_TIMESTAMP' } }, existing: { default: 'EUR' } },
      expected: { kind: 'AlterColumn', table: 'Invoice', column: 'Currency', changes: { default: 'EUR' }, existing: { default: { sql: 'CURRENT_TIMESTAMP' } } },
      roundTrip: true,
    },
    {
      title: 'rename with a type change: alters the new name back to the old name and type',
      op: { kind: 'AlterColumn', table: 'Invoice', column: 'Code', changes: { newName: 'Currency', type: VARCHAR10 }, existing: { type: VARCHAR3 } },
      expected: { kind: 'AlterColumn', table: 'Invoice', column: 'Currency', changes: { newName: 'Code', type: VARCHAR3 }, existing: { type: VARCHAR10 } },
      roundTrip: true,
    },
  ],
  RenameColumn: [
    {
      title: 'renames back',
      op: { kind: 'RenameColumn', table: 'Invoice', column: 'a', newName: 'b' },
      expected: { kind: 'RenameColumn', table: 'Invoice', column: 'b', newName: 'a' },
      roundTrip: true,
    },
  ],
  CreateIndex: [
    {
      title: 'drops the index, keeping its definition',
      op: { kind: 'CreateIndex', table: 'Track', index: IX_TRACK_PARTIAL },
      expected: { kind: 'DropIndex', table: 'Track', name: 'ix_Track_Name', existing: IX_TRACK_PARTIAL },
      roundTrip: true,
    },
    {
      title: 'concurrently: a concurrent drop',
      op: { kind: 'CreateIndex', table: 'Track', index: IX_TRACK_ALBUM, concurrently: true },
      expected: { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId', existing: IX_TRACK_ALBUM, concurrently: true },
      roundTrip: true,
    },
    {
      title: 'keeps the schema',
      op: { kind: 'CreateIndex', table: 'Track', schema: 'music', index: IX_TRACK_ALBUM },
      expected: { kind: 'DropIndex', table: 'Track', schema: 'music', name: 'ix_Track_AlbumId', existing: IX_TRACK_ALBUM },
      roundTrip: true,
    },
  ],
  DropIndex: [
    {
      title: 'with existing: creates it again',
      op: { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId', existing: IX_TRACK_ALBUM },
      expected: { kind: 'CreateIndex', table: 'Track', index: IX_TRACK_ALBUM },
      roundTrip: true,
    },
    {
      title: 'concurrently, with existing: a concurrent create',
      op: { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId', existing: IX_TRACK_ALBUM, concurrently: true },
      expected: { kind: 'CreateIndex', table: 'Track', index: IX_TRACK_ALBUM, concurrently: true },
      roundTrip: true,
    },
    {
      title: 'concurrently, without existing: irreversible',
      op: { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId', concurrently: true },
      expected: { irreversible: "dropIndex('ix_Track_AlbumId') has no existing index definition" },
    },
    {
      title: 'without existing: irreversible',
      op: { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId' },
      expected: { irreversible: "dropIndex('ix_Track_AlbumId') has no existing index definition" },
    },
    {
      title: 'with existing but no table: irreversible',
      op: { kind: 'DropIndex', table: '', name: 'ix_Track_AlbumId', existing: IX_TRACK_ALBUM },
      expected: { irreversible: "dropIndex('ix_Track_AlbumId') has no table" },
    },
  ],
  RenameIndex: [
    {
      title: 'renames it back',
      op: { kind: 'RenameIndex', table: 'Track', name: 'ix_Track_AlbumId', newName: 'ix_Track_Album' },
      expected: { kind: 'RenameIndex', table: 'Track', name: 'ix_Track_Album', newName: 'ix_Track_AlbumId' },
      roundTrip: true,
    },
    {
      title: 'keeps the schema and the definition (SQLite creates it again from it offline)',
      op: { kind: 'RenameIndex', table: 'Track', schema: 'music', name: 'ix_Track_Name', newName: 'ix_Track_Title', existing: { columns: IX_TRACK_PARTIAL.columns, unique: true, where: '"Name" IS NOT NULL' } },
      expected: { kind: 'RenameIndex', table: 'Track', schema: 'music', name: 'ix_Track_Title', newName: 'ix_Track_Name', existing: { columns: IX_TRACK_PARTIAL.columns, unique: true, where: '"Name" IS NOT NULL' } },
      roundTrip: true,
    },
  ],
  CreateUniqueConstraint: [
    {
      title: 'drops the unique constraint',
      op: { kind: 'CreateUniqueConstraint', table: 'Genre', name: 'uq_Genre_Name', columns: ['Name'] },
      expected: { kind: 'DropConstraint', table: 'Genre', name: 'uq_Genre_Name', type: 'unique', existing: { type: 'unique', columns: ['Name'] } },
      roundTrip: true,
    },
    {
      title: 'keeps NULLS NOT DISTINCT in the existing constraint',
      op: { kind: 'CreateUniqueConstraint', table: 'Genre', name: 'uq_Genre_Name', columns: ['Name'], nullsNotDistinct: true },
      expected: { kind: 'DropConstraint', table: 'Genre', name: 'uq_Genre_Name', type: 'unique', existing: { type: 'unique', columns: ['Name'], nullsNotDistinct: true } },
      roundTrip: true,
    },
  ],
  CreateCheckConstraint: [
    {
      title: 'drops the check constraint',
      op: { kind: 'CreateCheckConstraint', table: 'Track', schema: 'music', name: 'ck_Track_ms', expression: '"Milliseconds" > 0' },
      expected: {
        kind: 'DropConstraint',
        table: 'Track',
        schema: 'music',
        name: 'ck_Track_ms',
        type: 'check',
        existing: { type: 'check', expression: '"Milliseconds" > 0' },
      },
      roundTrip: true,
    },
  ],
  CreateForeignKey: [
    {
      title: 'drops the foreign key, keeping columns, referred table and actions',
      op: {
        kind: 'CreateForeignKey',
        table: 'Album',
        name: 'fk_Album_ArtistId_Artist',
        columns: ['ArtistId'],
        referredTable: 'Artist',
        referredSchema: 'music',
        referredColumns: ['ArtistId'],
        onDelete: 'cascade',
        onUpdate: 'no action',
      },
      expected: {
        kind: 'DropConstraint',
        table: 'Album',
        name: 'fk_Album_ArtistId_Artist',
        type: 'foreignkey',
        existing: {
          type: 'foreignkey',
          columns: ['ArtistId'],
          referredTable: 'Artist',
          referredSchema: 'music',
          referredColumns: ['ArtistId'],
          onDelete: 'cascade',
          onUpdate: 'no action',
        },
      },
      roundTrip: true,
    },
  ],
  CreatePrimaryKey: [
    {
      title: 'drops the primary key',
      op: { kind: 'CreatePrimaryKey', table: 'PlaylistTrack', name: 'pk_PlaylistTrack', columns: ['PlaylistId', 'TrackId'] },
      expected: {
        kind: 'DropConstraint',
        table: 'PlaylistTrack',
        name: 'pk_PlaylistTrack',
        type: 'primary',
        existing: { type: 'primary', columns: ['PlaylistId', 'TrackId'] },
      },
      roundTrip: true,
    },
    {
      title: 'keeps the columns sorted DESC in the existing key',
      op: { kind: 'CreatePrimaryKey', table: 'PlaylistTrack', name: 'pk_PlaylistTrack', columns: ['PlaylistId', 'TrackId'], descending: ['TrackId'] },
      expected: {
        kind: 'DropConstraint',
        table: 'PlaylistTrack',
        name: 'pk_PlaylistTrack',
        type: 'primary',
        existing: { type: 'primary', columns: ['PlaylistId', 'TrackId'], descending: ['TrackId'] },
      },
      roundTrip: true,
    },
  ],
  DropConstraint: [
    {
      title: 'unique with existing: creates it again',
      op: { kind: 'DropConstraint', table: 'Genre', name: 'uq_Genre_Name', type: 'unique', existing: { type: 'unique', columns: ['Name'] } },
      expected: { kind: 'CreateUniqueConstraint', table: 'Genre', name: 'uq_Genre_Name', columns: ['Name'] },
      roundTrip: true,
    },
    {
      title: 'check with existing: creates it again',
      op: { kind: 'DropConstraint', table: 'Track', name: 'ck_Track_ms', type: 'check', existing: { type: 'check', expression: '"Milliseconds" > 0' } },
      expected: { kind: 'CreateCheckConstraint', table: 'Track', name: 'ck_Track_ms', expression: '"Milliseconds" > 0' },
      roundTrip: true,
    },
    {
      title: 'primary with existing: creates it again',
      op: { kind: 'DropConstraint', table: 'PlaylistTrack', schema: 'music', name: 'pk_PlaylistTrack', type: 'primary', existing: { type: 'primary', columns: ['PlaylistId', 'TrackId'] } },
      expected: { kind: 'CreatePrimaryKey', table: 'PlaylistTrack', schema: 'music', name: 'pk_PlaylistTrack', columns: ['PlaylistId', 'TrackId'] },
      roundTrip: true,
    },
    {
      title: 'foreignkey with existing: creates it again',
      op: {
        kind: 'DropConstraint',
        table: 'Album',
        name: 'fk_Album_ArtistId_Artist',
        type: 'foreignkey',
        existing: { type: 'foreignkey', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'], onDelete: 'set null' },
      },
      expected: {
        kind: 'CreateForeignKey',
        table: 'Album',
        name: 'fk_Album_ArtistId_Artist',
        columns: ['ArtistId'],
        referredTable: 'Artist',
        referredColumns: ['ArtistId'],
        onDelete: 'set null',
      },
      roundTrip: true,
    },
    ...(['unique', 'check', 'foreignkey', 'primary'] as const).map((type) => ({
      title: `${type} without existing: irreversible`,
      op: { kind: 'DropConstraint' as const, table: 'Genre', name: 'c1', type },
      expected: { irreversible: "dropConstraint('c1') has no existing constraint definition" },
    })),
  ],
  BatchAlterTable: [
    {
      title: 'reverses the inner ops in reverse order; keeps recreate, leaves out copyFrom',
      op: {
        kind: 'BatchAlterTable',
        table: 'Genre',
        ops: [
          { kind: 'AddColumn', table: 'Genre', column: { name: 'Code', type: VARCHAR3, nullable: true } },
          { kind: 'RenameColumn', table: 'Genre', column: 'Name', newName: 'Title' },
          { kind: 'CreateIndex', table: 'Genre', index: { name: 'ix_Genre_Code', columns: ['Code'], unique: false } },
        ],
        options: { recreate: 'always', copyFrom: GENRE, partialReordering: [['Code', 'GenreId']] },
      },
      expected: {
        kind: 'BatchAlterTable',
        table: 'Genre',
        ops: [
          { kind: 'DropIndex', table: 'Genre', name: 'ix_Genre_Code', existing: { name: 'ix_Genre_Code', columns: ['Code'], unique: false } },
          { kind: 'RenameColumn', table: 'Genre', column: 'Title', newName: 'Name' },
          { kind: 'DropColumn', table: 'Genre', column: 'Code', existing: { type: VARCHAR3, nullable: true } },
        ],
        options: { recreate: 'always' },
      },
    },
    {
      title: 'with default options and a schema: round-trips',
      op: {
        kind: 'BatchAlterTable',
        table: 'Genre',
        schema: 'music',
        ops: [
          { kind: 'DropConstraint', table: 'Genre', schema: 'music', name: 'uq_Genre_Name', type: 'unique', existing: { type: 'unique', columns: ['Name'] } },
          { kind: 'AlterColumn', table: 'Genre', schema: 'music', column: 'Name', changes: { nullable: false }, existing: { nullable: true } },
        ],
        options: {},
      },
      expected: {
        kind: 'BatchAlterTable',
        table: 'Genre',
        schema: 'music',
        ops: [
          { kind: 'AlterColumn', table: 'Genre', schema: 'music', column: 'Name', changes: { nullable: true }, existing: { nullable: false } },
          { kind: 'CreateUniqueConstraint', table: 'Genre', schema: 'music', name: 'uq_Genre_Name', columns: ['Name'] },
        ],
        options: {},
      },
      roundTrip: true,
    },
    {
      title: 'an irreversible inner op makes the batch irreversible, with its reason',
      op: {
        kind: 'BatchAlterTable',
        table: 'Genre',
        ops: [
          { kind: 'AddColumn', table: 'Genre', column: { name: 'Code', type: VARCHAR3, nullable: true } },
          { kind: 'DropColumn', table: 'Genre', column: 'Name' },
        ],
        options: {},
      },
      expected: { irreversible: "dropColumn('Genre', 'Name') has no existing column type" },
    },
    {
      title: 'an empty batch reverses to an empty batch',
      op: { kind: 'BatchAlterTable', table: 'Genre', ops: [], options: {} },
      expected: { kind: 'BatchAlterTable', table: 'Genre', ops: [], options: {} },
      roundTrip: true,
    },
  ],
  Execute: [
    {
      title: 'irreversible',
      op: { kind: 'Execute', sql: 'UPDATE "Invoice" SET "Currency" = ?', parameters: ['USD'] },
      expected: { irreversible: 'execute() runs arbitrary SQL' },
    },
  ],
  BulkInsert: [
    {
      title: 'irreversible',
      op: { kind: 'BulkInsert', table: 'Genre', rows: [{ GenreId: 1, Name: 'Rock' }] },
      expected: { irreversible: "bulkInsert('Genre') inserts data" },
    },
  ],
  CreateEnum: [
    {
      title: 'drops the type, keeping its members',
      op: { kind: 'CreateEnum', name: 'mood', schema: 'app', values: ['sad', 'ok'] },
      expected: { kind: 'DropEnum', name: 'mood', schema: 'app', existing: { values: ['sad', 'ok'] } },
      roundTrip: true,
    },
  ],
  DropEnum: [
    {
      title: 'without its members: irreversible',
      op: { kind: 'DropEnum', name: 'mood' },
      expected: { irreversible: "dropEnum('mood') has no existing members" },
    },
  ],
  AddEnumValue: [
    {
      title: 'irreversible (PostgreSQL cannot remove a member)',
      op: { kind: 'AddEnumValue', name: 'mood', value: 'happy', after: 'ok' },
      expected: { irreversible: "PostgreSQL cannot remove the member 'happy' from enum 'mood'" },
    },
  ],
  AlterTableComment: [
    {
      title: 'swaps the comment and the existing one',
      op: { kind: 'AlterTableComment', table: 'Genre', comment: 'music genres', existing: 'genres' },
      expected: { kind: 'AlterTableComment', table: 'Genre', comment: 'genres', existing: 'music genres' },
      roundTrip: true,
    },
    {
      title: 'without existing: the reverse removes the comment',
      op: { kind: 'AlterTableComment', table: 'Genre', schema: 'music', comment: 'genres' },
      expected: { kind: 'AlterTableComment', table: 'Genre', schema: 'music', comment: null, existing: 'genres' },
    },
  ],
};

/** Every case, with its inputs deep-frozen (a mutation would throw) and a copy to compare after. */
const ALL = (Object.entries(CASES) as [OpKind, readonly Case<OpKind>[]][]).flatMap(([kind, cases]) =>
  cases.map((c) => ({ kind, ...c, before: structuredClone(c.op) as Op, op: freezeDeep(c.op) as Op })),
);

/** Whether every nested object of a value is frozen. */
function deepFrozen(value: unknown): boolean {
  if (!value || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

describe('reverseOp', () => {
  it('has cases for every op kind', () => {
    expect(Object.keys(CASES).sort()).toEqual(
      [
        'AddColumn',
        'AlterColumn',
        'BatchAlterTable',
        'BulkInsert',
        'CreateCheckConstraint',
        'CreateForeignKey',
        'CreateIndex',
        'CreatePrimaryKey',
        'CreateTable',
        'CreateUniqueConstraint',
        'DropColumn',
        'DropConstraint',
        'DropIndex',
        'DropTable',
        'Execute',
        'RenameColumn',
        'RenameIndex',
        'RenameTable',
        'CreateEnum',
        'DropEnum',
        'AddEnumValue',
        'AlterTableComment',
      ].sort(),
    );
  });

  describe.each(ALL.map((c) => [`${c.kind}: ${c.title}`, c] as const))('%s', (_title, c) => {
    it('gives the expected inverse', () => {
      const reversed = reverseOp(c.op);
      if ('irreversible' in c.expected) {
        expect(reversed).toEqual({ kind: 'Irreversible', op: c.before, reason: c.expected.irreversible });
        expect((reversed as { op: Op }).op).toBe(c.op);
      } else {
        expect(reversed).toEqual(c.expected);
        expect(reversed).toStrictEqual(c.expected);
      }
    });

    it('returns deep-frozen data and leaves the input unchanged', () => {
      const reversed = reverseOp(c.op);
      expect(deepFrozen(reversed)).toBe(true);
      expect(c.op).toStrictEqual(c.before);
    });

    if (c.roundTrip) {
      it('reversing the inverse gives the op back', () => {
        const reversed = reverseOp(c.op);
        expect(reversed.kind).not.toBe('Irreversible');
        expect(reverseOp(reversed as Op)).toStrictEqual(c.before);
      });
    }
  });

  it('does not mutate an unfrozen input either', () => {
    const op: Op = {
      kind: 'BatchAlterTable',
      table: 'Genre',
      ops: [
        { kind: 'AddColumn', table: 'Genre', column: { name: 'Code', type: VARCHAR3, nullable: true } },
        { kind: 'RenameColumn', table: 'Genre', column: 'Name', newName: 'Title' },
      ],
      options: { recreate: 'auto' },
    };
    const before = structuredClone(op);
    reverseOp(op);
    expect(op).toStrictEqual(before);
    expect(op.ops.map((o) => o.kind)).toEqual(['AddColumn', 'RenameColumn']);
  });
});

describe('reverseOp: irreversible marker', () => {
  it("does not freeze the caller's op (a bulk insert's rows stay the caller's objects)", () => {
    const rows = [{ GenreId: 1, Name: 'Rock' }];
    const op: Op = { kind: 'BulkInsert', table: 'Genre', rows };
    const reversed = reverseOp(op);
    expect(reversed).toEqual({ kind: 'Irreversible', op, reason: "bulkInsert('Genre') inserts data" });
    expect(Object.isFrozen(reversed)).toBe(true);
    expect(Object.isFrozen(rows)).toBe(false);
    expect(Object.isFrozen(rows[0])).toBe(false);
  });

  it('accepts an execute op whose parameters hold a Buffer', () => {
    const op: Op = { kind: 'Execute', sql: 'INSERT INTO "Blob" VALUES (?)', parameters: [Buffer.from('abc')] };
    expect(reverseOp(op)).toEqual({ kind: 'Irreversible', op, reason: 'execute() runs arbitrary SQL' });
  });
});
