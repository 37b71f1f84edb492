import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodegenError } from './codegen-error.js';
import { loadKyselyCodegen } from './load-kysely-codegen.js';

describe('loadKyselyCodegen', () => {
  it("turns Node's own error for a missing 'typescript' into a CodegenError saying what to install", async () => {
    // A real resolution failure: require('typescript') from a folder with no node_modules above it.
    const dir = mkdtempSync(join(tmpdir(), 'multidb-no-ts-'));
    try {
      const requireThere = createRequire(join(dir, 'index.js'));
      const error = await loadKyselyCodegen('/app/migrate.config.ts', 'db2', async () => requireThere('typescript')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodegenError);
      expect((error as CodegenError).bind).toBe('db2');
      expect((error as Error).message).toMatch(/needs the 'typescript' package/);
      expect((error as Error).message).toMatch(/npm install --save-dev typescript/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes any other failure through as it is, and loads kysely-codegen when it can', async () => {
    const other = new Error("Cannot find module 'pg'");
    Object.assign(other, { code: 'MODULE_NOT_FOUND' });
    await expect(loadKyselyCodegen('/app/migrate.config.ts', 'db2', () => Promise.reject(other))).rejects.toBe(other);
    expect(typeof (await loadKyselyCodegen('/app/migrate.config.ts', 'db2')).generate).toBe('function');
  });
});
