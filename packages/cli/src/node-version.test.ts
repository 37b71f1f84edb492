import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_VERSION, unsupportedNode } from './node-version.js';

describe('unsupportedNode', () => {
  it('refuses a Node.js older than 20.12 with a message naming both versions', () => {
    expect(unsupportedNode('20.11.1')).toBe('migrate needs Node.js 20.12.0 or later; this is Node.js 20.11.1. Upgrade Node.js (nvm install 20, or a newer LTS).');
    for (const old of ['18.20.4', '20.0.0', '20.11.99', 'v20.11.0']) expect(unsupportedNode(old), old).toMatch(/^migrate needs Node\.js 20\.12\.0 or later/);
  });

  it('accepts 20.12 and later, and a version it cannot read', () => {
    for (const ok of ['20.12.0', '20.19.2', '21.0.0', '22.3.0', '24.1.0', 'v20.12.1', '', 'nightly']) expect(unsupportedNode(ok), ok).toBeUndefined();
  });

  it("is every package's engines.node (they are installed together)", () => {
    for (const pkg of ['core', 'dialect', 'autogenerate', 'tui', 'cli']) {
      const manifest = JSON.parse(readFileSync(new URL(`../../${pkg}/package.json`, import.meta.url), 'utf8')) as { engines: { node: string } };
      expect(manifest.engines.node, pkg).toBe(`>=${MIN_NODE_VERSION.replace(/\.0$/, '')}`);
    }
  });
});
