import { describe, expect, it } from 'vitest';
import { sucraseToCommonJs } from './module-transform.js';
import { PARALLEL_MIN, transformInParallel, type TransformItem } from './parallel-transform.js';

/** A revision-like module per index; every 50th does not parse. */
function items(n: number): TransformItem[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `/project/versions/main/${String(i).padStart(4, '0')}_step.${i % 7 === 0 ? 'js' : 'ts'}`,
    source:
      i % 50 === 49
        ? `export const broken = (;\n`
        : i % 7 === 0
          ? `import { helper } from './helper.js';\nexport const revision = 'r${i}';\nexport async function upgrade(op) {\n  await op.dropTable('t${i}');\n  helper();\n}\n`
          : `import type { Operations } from '@multidb/core';\nimport { helper } from './helper.js';\nexport const revision: string = 'r${i}';\n` +
            `export async function upgrade(op: Operations): Promise<void> {\n  await op.createTable('t${i}', [{ name: 'id', type: 'integer' }]);\n  helper();\n}\n`,
    ts: i % 7 !== 0,
  }));
}

/** What one thread makes of each item: sucrase's code, or `undefined` where it throws. */
function expected(list: readonly TransformItem[]): (string | undefined)[] {
  return list.map((item) => {
    try {
      return sucraseToCommonJs(item.source, item.path, item.ts);
    } catch {
      return undefined;
    }
  });
}

describe('transformInParallel', () => {
  it('gives each source, in order, the code sucrase gives it on this thread (undefined where it does not parse)', async () => {
    const list = items(PARALLEL_MIN + 60);
    const codes = await transformInParallel(list);
    expect(codes).toHaveLength(list.length);
    expect(codes).toEqual(expected(list));
    expect(codes[49]).toBeUndefined();
    expect(codes[1]).toContain('exports.revision = revision');
    expect(codes[7]).toContain("require('./helper.js')");
  });

  it('a worker alone makes the same code for every source (the worker path, whatever the timing)', async () => {
    const list = items(120);
    const codes = await transformInParallel(list, { minForWorker: 1, mainThread: false });
    expect(codes).toEqual(expected(list));
    expect(codes.filter((c) => c === undefined)).toHaveLength(2); // indexes 49 and 99
  });

  it('below the threshold, one thread does them all', async () => {
    const list = items(30);
    expect(await transformInParallel(list)).toEqual(expected(list));
    expect(await transformInParallel([])).toEqual([]);
  });
});
