import { describe, expect, it } from 'vitest';
import { checkConstraintName, conventionalName, DEFAULT_NAMING_CONVENTION, type NamingConvention } from './naming-convention.js';

const D = DEFAULT_NAMING_CONVENTION;

describe('DEFAULT_NAMING_CONVENTION', () => {
  it('is the convention of DESIGN §4, frozen', () => {
    expect(D).toEqual({
      ix: 'ix_%(table)s_%(columns)s',
      uq: 'uq_%(table)s_%(columns)s',
      fk: 'fk_%(table)s_%(columns)s_%(referred_table)s',
      ck: 'ck_%(table)s_%(name)s',
      pk: 'pk_%(table)s',
    });
    expect(Object.isFrozen(D)).toBe(true);
  });
});

describe('conventionalName with the default convention', () => {
  it.each<[string, ReturnType<typeof conventionalName>, string]>([
    ['ix, one column', conventionalName(D, 'ix', { table: 'Track', columns: ['AlbumId'] }), 'ix_Track_AlbumId'],
    ['ix, two columns joined by _', conventionalName(D, 'ix', { table: 'Track', columns: ['AlbumId', 'GenreId'] }), 'ix_Track_AlbumId_GenreId'],
    ['uq', conventionalName(D, 'uq', { table: 'Genre', columns: ['Name'] }), 'uq_Genre_Name'],
    ['fk', conventionalName(D, 'fk', { table: 'Album', columns: ['ArtistId'], referredTable: 'Artist' }), 'fk_Album_ArtistId_Artist'],
    ['ck with a short name', conventionalName(D, 'ck', { table: 'Track', name: 'positive' }), 'ck_Track_positive'],
    ['ck without a name: the columns', conventionalName(D, 'ck', { table: 'Track', columns: ['Milliseconds', 'Bytes'] }), 'ck_Track_Milliseconds_Bytes'],
    ['pk', conventionalName(D, 'pk', { table: 'Genre', columns: ['GenreId'] }), 'pk_Genre'],
    ['fk without a referred table: empty', conventionalName(D, 'fk', { table: 'Album', columns: ['ArtistId'] }), 'fk_Album_ArtistId_'],
    ['ix without columns: empty', conventionalName(D, 'ix', { table: 'Track' }), 'ix_Track_'],
  ])('%s', (_title, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('conventionalName placeholders', () => {
  const values = { table: 'InvoiceLine', columns: ['InvoiceId', 'TrackId'], referredTable: 'Invoice', name: 'qty' };

  it.each<[string, string]>([
    ['%(table)s', 'InvoiceLine'],
    ['%(table_name)s', 'InvoiceLine'],
    ['%(columns)s', 'InvoiceId_TrackId'],
    ['%(column_names)s', 'InvoiceId_TrackId'],
    ['%(column_0_name)s', 'InvoiceId'],
    ['%(column_1_name)s', 'TrackId'],
    ['%(column_2_name)s', ''],
    ['%(referred_table)s', 'Invoice'],
    ['%(referred_table_name)s', 'Invoice'],
    ['%(name)s', 'qty'],
    ['%(constraint_name)s', 'qty'],
    ['%(unknown)s', ''],
    ['x_%(table)s__%(column_0_name)s__%(referred_table)s', 'x_InvoiceLine__InvoiceId__Invoice'],
    ['no placeholders', 'no placeholders'],
  ])('%s → %j', (template, expected) => {
    for (const kind of ['ix', 'uq', 'fk', 'ck', 'pk'] as const) {
      expect(conventionalName({ [kind]: template }, kind, values)).toBe(expected);
    }
  });

  it('%(name)s falls back to the columns when no name is given', () => {
    expect(conventionalName({ ck: 'ck_%(table)s_%(name)s' }, 'ck', { table: 'T', columns: ['a', 'b'] })).toBe('ck_T_a_b');
  });
});

describe('conventionalName fallback to the defaults', () => {
  const partial: NamingConvention = { ix: 'idx_%(column_0_name)s' };

  it('uses the project template where one is given', () => {
    expect(conventionalName(partial, 'ix', { table: 'Track', columns: ['AlbumId', 'GenreId'] })).toBe('idx_AlbumId');
  });

  it.each<[keyof NamingConvention, string]>([
    ['uq', 'uq_Track_AlbumId_GenreId'],
    ['fk', 'fk_Track_AlbumId_GenreId_Album'],
    ['ck', 'ck_Track_AlbumId_GenreId'],
    ['pk', 'pk_Track'],
  ])('falls back to the default for %s', (kind, expected) => {
    expect(conventionalName(partial, kind, { table: 'Track', columns: ['AlbumId', 'GenreId'], referredTable: 'Album' })).toBe(expected);
  });

  it('an empty convention is the default convention', () => {
    expect(conventionalName({}, 'fk', { table: 'Album', columns: ['ArtistId'], referredTable: 'Artist' })).toBe('fk_Album_ArtistId_Artist');
  });
});

describe('conventionalName length limit (63)', () => {
  it('keeps a name of exactly 63 characters', () => {
    const name = conventionalName(D, 'pk', { table: 'T'.repeat(60) });
    expect(name).toBe(`pk_${'T'.repeat(60)}`);
    expect(name).toHaveLength(63);
  });

  it('cuts a 64-character name to 54 characters plus _ and an 8-hex hash of the full name', () => {
    const name = conventionalName(D, 'pk', { table: 'T'.repeat(61) });
    expect(name).toBe(`pk_${'T'.repeat(51)}_6d746887`);
    expect(name).toHaveLength(63);
  });

  it('gives a stable, distinct suffix to long names sharing their first 54 characters', () => {
    const a = { table: 'InvoiceLineItemAdjustment', columns: ['InvoiceLineItemId', 'AdjustmentKindId'], referredTable: 'InvoiceLineItem' };
    const b = { ...a, referredTable: 'AdjustmentKind' };
    expect(conventionalName(D, 'fk', a)).toBe('fk_InvoiceLineItemAdjustment_InvoiceLineItemId_Adjustm_a873f200');
    expect(conventionalName(D, 'fk', b)).toBe('fk_InvoiceLineItemAdjustment_InvoiceLineItemId_Adjustm_ae93e24b');
    expect(conventionalName(D, 'fk', { ...a })).toBe(conventionalName(D, 'fk', a));
  });

  it('counts UTF-8 bytes, as PostgreSQL does: a Japanese name of 64 bytes (24 characters) is cut to 54 bytes and hashed', () => {
    // ix_ + 10 + _ + 10 characters: 24 characters, 64 bytes. PostgreSQL would keep 63 bytes of it.
    const name = conventionalName(D, 'ix', { table: '注文明細テーブル一覧', columns: ['顧客番号の列ですよね'] });
    expect(name).toBe('ix_注文明細テーブル一覧_顧客番号の列_0b6d07e5');
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(63);
    // 63 bytes exactly is kept as it is.
    expect(conventionalName(D, 'ix', { table: '注文明細テーブル一覧', columns: ['顧客番号の列ですよ'] })).toBe('ix_注文明細テーブル一覧_顧客番号の列ですよ');
  });

  it('cuts at whole characters: no character split, no lone surrogate', () => {
    const emoji = conventionalName(D, 'pk', { table: `${'a'.repeat(49)}${'🎉'.repeat(10)}` });
    // pk_ + 49 = 52 bytes; an emoji (4 bytes) more would be 56 > 54.
    expect(emoji).toMatch(new RegExp(`^pk_a{49}_[0-9a-f]{8}$`));
    const accented = conventionalName(D, 'pk', { table: 'é'.repeat(40) });
    expect(accented).toMatch(/^pk_é{25}_[0-9a-f]{8}$/); // 3 + 50 bytes, then _ and 8: 62 bytes
    expect(new TextEncoder().encode(accented).length).toBeLessThanOrEqual(63);
  });
});

describe('checkConstraintName', () => {
  it('keeps a given name as written, whatever the convention', () => {
    expect(checkConstraintName(D, 'Track', 'ck_positive_ms', '"Milliseconds" > 0')).toBe('ck_positive_ms');
    expect(checkConstraintName({ ck: 'check_%(table)s_%(name)s' }, 'Track', 'positive', '"Milliseconds" > 0')).toBe('positive');
  });

  it('without a name (null or undefined): fills %(name)s with a hash of the expression', () => {
    expect(checkConstraintName(D, 'Track', null, '"Milliseconds" > 0')).toBe('ck_Track_fa61d845');
    expect(checkConstraintName(D, 'Track', undefined, '"Milliseconds" > 0')).toBe('ck_Track_fa61d845');
    expect(checkConstraintName(D, 'Track', null, '"Bytes" >= 0')).toBe('ck_Track_aa0eaa47');
  });

  it("uses the project's ck template", () => {
    expect(checkConstraintName({ ck: '%(table)s_%(name)s_check' }, 'Track', null, '"Milliseconds" > 0')).toBe('Track_fa61d845_check');
  });
});
