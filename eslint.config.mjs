import js from '@eslint/js';
import { posix } from 'node:path';
import tseslint from 'typescript-eslint';

/*
 * The layers (docs/architecture.md, ../shared/ARCHITECTURE.md), enforced here instead of remembered:
 *
 *   server/src/catalog   the facts: imports only other catalog files and shared/ pure helpers (no package, no node:)
 *   server/src/document  the YAML model: imports only `yaml` and other document files
 *   server/src/features  the language features: no connection (`vscode-languageserver` only as `import type`;
 *                        constants come from `vscode-languageserver-types`)
 *   server/src           never imports client/, azure/ or `vscode` (the language server makes no network call; the
 *                        CLI loads the Azure bundle, built from azure/src, at run time by path); the zones below
 *                        narrow it further for catalog, document and features
 *   azure/               the Azure checks the extension and the CLI share: never imports client/, server/ or
 *                        `vscode` (what it needs from the server arrives as shared/ protocol data)
 *   client/              never imports server/
 *   shared/              imports nothing from client/, azure/ or server/ (nor anything else outside shared/)
 *
 * test/unit/layers.test.ts lints a forbidden and a permitted import in each zone, so a zone that stops biting fails
 * the tests. Import cycles are checked by test/unit/importCycles.test.ts.
 */

/** shared/ modules with no dependencies and no domain data, which the catalog may use. */
const SHARED_PURE_HELPERS = ['shared/src/armScope'];

/** Folder depths below a zone's root that get their own block (a relative path's meaning depends on it). */
const MAX_DEPTH = 6;

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `@typescript-eslint/no-restricted-imports` blocks for one zone, one per folder depth below `root`: at depth d, an
 * import leaves the zone when it starts with d + 1 `..` segments. `outside` says where it may go then:
 * `{ allow: [paths] }` (only those, repository-relative, without extension) or `{ forbid: [folders] }` (anywhere but
 * those). `packages` is a regex for the bare specifiers (packages, node built-ins) the zone may not import.
 */
function zone({ root, why, packages, outside, typeImports = false }) {
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
    const folder = posix.join(root, ...Array(depth).fill('x'));
    const relativeTo = (target) => escapeRegExp(posix.relative(folder, target));
    const leaving = `(?:\\.\\./){${depth}}\\.\\.(?:/|$)`;
    const patterns = [];
    if (outside.allow) {
      const allowed = outside.allow.map(relativeTo).join('|');
      patterns.push({ regex: allowed ? `^(?!(?:${allowed})$)${leaving}` : `^${leaving}` });
    }
    for (const target of outside.forbid ?? []) patterns.push({ regex: `^${relativeTo(target)}(?:/|$)` });
    if (packages) patterns.push({ regex: packages });
    return {
      files: [`${root}/${'*/'.repeat(depth)}*.{ts,mts,cts,js,mjs,cjs}`],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          { patterns: patterns.map((p) => ({ ...p, message: why, allowTypeImports: typeImports })) },
        ],
      },
    };
  });
}

const layers = [
  // First: the narrower server zones after it override it for their folders.
  ...zone({
    root: 'server/src',
    why: 'Layers: the server imports neither client/ nor azure/ nor vscode; the CLI loads the Azure bundle by path (eslint.config.mjs).',
    packages: '^(?:vscode|@azure/.+)$',
    outside: { forbid: ['client', 'azure'] },
  }),
  ...zone({
    root: 'server/src/catalog',
    why: 'Layers: the catalog imports only other catalog files and shared/ pure helpers (eslint.config.mjs).',
    packages: '^[^.]',
    outside: { allow: SHARED_PURE_HELPERS },
  }),
  ...zone({
    root: 'server/src/document',
    why: 'Layers: the document model imports only `yaml` and other document files (eslint.config.mjs).',
    packages: '^(?!yaml$)[^.]',
    outside: { allow: [] },
  }),
  ...zone({
    root: 'server/src/features',
    why:
      'Layers: features do not reach the connection, the client, azure/ or vscode; take LSP constants from ' +
      '`vscode-languageserver-types` (`import type` from vscode-languageserver is fine) (eslint.config.mjs).',
    packages: '^(?:vscode-(?:languageserver|languageserver-protocol|jsonrpc)(?:/.*)?|vscode|@azure/.+)$',
    outside: { forbid: ['client', 'azure'] },
    typeImports: true,
  }),
  ...zone({
    root: 'azure',
    why: 'Layers: azure/ imports neither client/ nor server/ nor vscode; server data arrives through shared/ (eslint.config.mjs).',
    packages: '^vscode$',
    outside: { forbid: ['client', 'server'] },
  }),
  ...zone({
    root: 'client',
    why: 'Layers: the client never imports the server; what both need lives in shared/ (eslint.config.mjs).',
    outside: { forbid: ['server'] },
  }),
  ...zone({
    root: 'shared',
    why: 'Layers: shared/ imports nothing from client/, azure/ or server/ (eslint.config.mjs).',
    outside: { allow: [] },
  }),
];

export default tseslint.config(
  { ignores: ['**/out/**', 'build/**', 'node_modules/**', 'examples/**', 'test-results/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layers,
);
