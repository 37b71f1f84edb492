// Core's, the dialect's and the CLI's bundles (and the scripts of --script) are ASCII (tools/build/bundle-package.mjs: charset 'ascii', no
// JSDoc comments): V8 keeps every module's source for the whole process, and one character beyond
// Latin-1 (a '…' in a message) makes it store the whole file at two bytes per character.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../packages/', import.meta.url));

function bundleFiles(pkg: string): string[] {
  const dir = join(PACKAGES, pkg, 'dist', 'bundle');
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js') || f.endsWith('.cjs')).map((f) => join(dir, f));
}

describe('bundled sources', () => {
  it.each(['core', 'dialect', 'cli'])('%s: every bundle file is ASCII, with no JSDoc comment', (pkg) => {
    const files = bundleFiles(pkg);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const beyond = /[^\x00-\x7f]/.exec(text);
      expect(beyond ? `${file}: '${beyond[0]}' at ${beyond.index}` : '').toBe('');
      expect(text.includes('\n/**\n') || /\n\s*\/\*\*\s/.test(text), file).toBe(false);
    }
  });

  it('keeps the messages\' characters: a message with an ellipsis reads the same', async () => {
    const core = (await import(join(PACKAGES, 'core', 'dist', 'bundle', 'index.js'))) as typeof import('@multidb/core');
    const error = (() => {
      try {
        core.parseRevisionHeader("export const revision = 'a1';\nexport const downRevision = null;\nexport const message = `x${y}`;\n", 'v/a1.ts');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toContain('${…}');
  });
});
