// Lint rules that keep the architecture honest (DESIGN §3, STYLE.md point 1): packages depend one
// way, cli → tui → autogenerate → dialect → core (Nx project tags in each package.json), and no
// module imports itself back through a cycle. Run by `npm test` (each package's `lint` target).
import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

const layers = ['core', 'dialect', 'autogenerate', 'tui', 'cli'];
/** Each layer may use itself and the layers below it. */
const depConstraints = layers.map((layer, i) => ({
  sourceTag: `layer:${layer}`,
  onlyDependOnLibsWithTags: layers.slice(0, i + 1).map((l) => `layer:${l}`),
}));

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/coverage/**', 'migrations/**', 'tools/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { '@nx': nx, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { depConstraints: [...depConstraints, { sourceTag: 'layer:e2e', onlyDependOnLibsWithTags: ['*'] }], banTransitiveDependencies: false },
      ],
      // Type-only imports count too: a cycle of types is still a cycle of concepts.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
];
