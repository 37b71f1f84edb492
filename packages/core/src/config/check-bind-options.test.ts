import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES } from '../dialect/dialect.js';
import { ConfigError, UnsupportedBindOptionError } from '../errors.js';
import { checkBindOptions } from './check-bind-options.js';

const withSchemas = { name: 'postgres', capabilities: DEFAULT_CAPABILITIES };
const mariadb = { name: 'mysql', flavour: 'mariadb', capabilities: { ...DEFAULT_CAPABILITIES, transactionalDdl: false, schemas: false } };
const sqlite = { name: 'sqlite', capabilities: { ...DEFAULT_CAPABILITIES, schemas: false } };

function refusal(fn: () => void): UnsupportedBindOptionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UnsupportedBindOptionError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('checkBindOptions', () => {
  it('takes schema and versionTableSchema where the dialect has schemas (and by default)', () => {
    expect(() => checkBindOptions('pg', { url: 'postgres://h/db', schema: 'app', versionTableSchema: 'meta' }, withSchemas)).not.toThrow();
    const { schemas: _, ...unsaid } = DEFAULT_CAPABILITIES;
    expect(() => checkBindOptions('x', { url: 'x://h/db', schema: 'app' }, { name: 'other', capabilities: unsaid })).not.toThrow();
  });

  it('takes a bind without them on any dialect', () => {
    expect(() => checkBindOptions('my', { url: 'mariadb://h/app', branch: 'main' }, mariadb)).not.toThrow();
    expect(() => checkBindOptions('lite', { url: 'sqlite:a.db' }, sqlite)).not.toThrow();
  });

  it.each([
    ['schema', mariadb, 'mariadb'],
    ['versionTableSchema', mariadb, 'mariadb'],
    ['schema', sqlite, 'sqlite'],
    ['versionTableSchema', sqlite, 'sqlite'],
  ] as const)('refuses %s on %s, naming the bind, the option and the dialect', (option, dialect, name) => {
    const e = refusal(() => checkBindOptions('db2', { url: 'x:', [option]: 'app' }, dialect, '/srv/app/migrate.config.ts'));
    expect(e).toBeInstanceOf(ConfigError);
    expect([e.bind, e.option, e.dialect, e.code, e.file]).toEqual(['db2', option, name, 'CONFIG', '/srv/app/migrate.config.ts']);
    expect(e.message).toBe(
      `Bind 'db2': binds.db2.${option} is not supported by ${name}. It names a schema inside the bind's database (as on PostgreSQL); ${name} has none. ` +
        `Remove it, and name the database in the bind's URL instead.`,
    );
  });

  it('names schema first when both are set', () => {
    expect(refusal(() => checkBindOptions('db2', { url: 'mysql://h/app', versionTableSchema: 'meta', schema: 'app' }, mariadb)).option).toBe('schema');
  });
});
