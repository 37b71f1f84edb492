// A bind at two heads (two developers' revisions from one head, both applied): `downgrade B@-1`
// is refused, and what the error says to run must do what `-1` asked. It named '<bind>@<head>-1',
// which goes to the fork point and so took back both heads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, revisionSource } from '../support/project.js';

const R = { base: 'aaaa00000001', one: 'bbbb00000002', two: 'cccc00000003' } as const;

describe('downgrade -1 of a bind at two heads', () => {
  const p = new TempProject(['default']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    const write = (id: string, down: string | null, table: string) =>
      p.write(
        `migrations/versions/default/${id}_r.ts`,
        revisionSource({
          revision: id,
          downRevision: down,
          branchLabels: down === null ? ['default'] : [],
          upgrade: `await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable('${table}');`,
        }),
      );
    write(R.base, null, 't_base');
    write(R.one, R.base, 't_one');
    write(R.two, R.base, 't_two');
    await p.ok('upgrade', 'heads');
  });

  it("is refused with a suggestion that steps back one head's line only", async () => {
    const refused = await p.run('downgrade', 'default@-1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `A relative downgrade needs one current head: step one head's line back with '<head>@-1' (e.g. '${R.one}@-1'), or name the revision to go to (e.g. 'default@${R.one}-1', which takes back every head above it).`,
    );
    expect(p.versionsApplied('default')).toEqual([R.one, R.two]);

    await p.ok('downgrade', `${R.one}@-1`);
    expect(p.versionsApplied('default')).toEqual([R.two]);
    expect(p.tables('default')).toEqual(['multidb_version', 't_base', 't_two']);
  });
});
