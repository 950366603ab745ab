// The layer zones of eslint.config.mjs bite: for each zone, ESLint (the project's own configuration, through its Node
// API) reports a forbidden import in a file placed in that zone and accepts a permitted one. The files do not exist:
// `lintText` only needs the path to pick the configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const REPO = join(__dirname, '..', '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';

interface Case {
  /** Where the fixture text is linted from, repository-relative. */
  file: string;
  forbidden: string[];
  permitted: string[];
}

const CASES: Case[] = [
  {
    file: 'server/src/catalog/__fixture.ts',
    forbidden: [
      "import { parseDocument } from 'yaml';",
      "import { readFileSync } from 'node:fs';",
      "import { CompletionItemKind } from 'vscode-languageserver-types';",
      "import { parseManifest } from '../document/manifest';",
      "import type { FeatureContext } from '../features/context';",
      "import { startSession } from '../session';",
      "import { EXTENSION_SOURCE } from '../../../shared/src/protocol';",
      "export { scopeCovers } from '../../../shared/src/armScope.ts';",
    ],
    permitted: [
      "import { scopeCovers } from '../../../shared/src/armScope';",
      "import { KINDS } from './kinds';",
      "export * from './services';",
    ],
  },
  {
    // A sub-folder of the catalog: one more `..` stays inside it.
    file: 'server/src/catalog/kinds/__fixture.ts',
    forbidden: [
      "import { parseManifest } from '../../document/manifest';",
      "import { EXTENSION_SOURCE } from '../../../../shared/src/protocol';",
    ],
    permitted: [
      "import { KINDS } from '../kinds';",
      "import { scopeCovers } from '../../../../shared/src/armScope';",
      "import { x } from './flux';",
    ],
  },
  {
    file: 'server/src/document/__fixture.ts',
    forbidden: [
      "import { KINDS } from '../catalog';",
      "import { readFileSync } from 'node:fs';",
      "import type { Position } from 'vscode-languageserver-types';",
      "import { TextDocument } from 'vscode-languageserver-textdocument';",
    ],
    permitted: ["import { parseDocument, type Node } from 'yaml';", "import { toNode } from './nodes';"],
  },
  {
    file: 'server/src/features/rules/__fixture.ts',
    forbidden: [
      "import { DiagnosticSeverity } from 'vscode-languageserver';",
      "import { createConnection } from 'vscode-languageserver/node';",
      "import { RequestType } from 'vscode-languageserver-protocol';",
      "import { checkReadiness } from '../../../../azure/src/checks';",
      "import { DefaultAzureCredential } from '@azure/identity';",
    ],
    permitted: [
      "import type { Diagnostic } from 'vscode-languageserver';",
      "import type { TextEdit } from 'vscode-languageserver/node';",
      "import { type Hover, type Position } from 'vscode-languageserver';",
      "import { DiagnosticSeverity } from 'vscode-languageserver-types';",
      "import { KINDS } from '../../catalog';",
      "import type { ManifestFile } from '../../document/manifest';",
    ],
  },
  {
    // The CLI and the session: no network client, no VS Code, no client code (the Azure bundle is loaded by path).
    file: 'server/src/cli/__fixture.ts',
    forbidden: [
      "import { checkReadiness } from '../../../azure/src/checks';",
      "import type { ReadinessModel } from '../../../azure/src/model';",
      "import { DefaultAzureCredential } from '@azure/identity';",
      "import * as vscode from 'vscode';",
      "import { LIVE_SOURCE } from '../../../client/src/views/liveFindings';",
    ],
    permitted: [
      "import type { CiReadiness } from '../../../shared/src/ciReadiness';",
      "import { analyzePaths } from '../batch';",
      "import { createRequire } from 'node:module';",
    ],
  },
  {
    file: 'azure/src/__fixture.ts',
    forbidden: [
      "import { ROLES } from '../../server/src/catalog';",
      "import { LIVE_SOURCE } from '../../client/src/views/liveFindings';",
      "import * as vscode from 'vscode';",
    ],
    permitted: [
      "import type { AzureIntegration } from '../../shared/src/protocol';",
      "import { DefaultAzureCredential } from '@azure/identity';",
      "import { mapLimit } from './limit';",
    ],
  },
  {
    file: 'client/src/views/__fixture.ts',
    forbidden: [
      "import { startSession } from '../../../server/src/session';",
      "import type { KindInfo } from '../../../server/src/catalog';",
    ],
    permitted: [
      "import { EXTENSION_SOURCE } from '../../../shared/src/protocol';",
      "import { x } from '../context';",
      "import type { ReadinessModel } from '../../../azure/src/model';",
    ],
  },
  {
    file: 'shared/src/__fixture.ts',
    forbidden: [
      "import { KINDS } from '../../server/src/catalog';",
      "import type { Context } from '../../client/src/context';",
      "import type { ReadinessModel } from '../../azure/src/model';",
    ],
    permitted: ["import { scopeCovers } from './armScope';"],
  },
];

const eslint = new ESLint({ cwd: REPO });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(REPO, file) });
  assert.ok(result, `ESLint returned nothing for ${file}`);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

test('layers: the zones name folders that exist', () => {
  for (const zone of [
    'server/src',
    'server/src/catalog',
    'server/src/document',
    'server/src/features',
    'azure/src',
    'client/src',
    'shared/src',
  ]) {
    assert.ok(existsSync(join(REPO, zone)), `${zone} moved: update the zones in eslint.config.mjs and this test`);
  }
});

for (const { file, forbidden, permitted } of CASES) {
  test(`layers: ${file} — forbidden imports are reported`, async () => {
    for (const code of forbidden) {
      const messages = await restrictedImports(file, code);
      assert.equal(messages.length, 1, `${file}: \`${code}\` should be reported once, got ${JSON.stringify(messages)}`);
      assert.match(messages[0] ?? '', /Layers: .*eslint\.config\.mjs/);
    }
  });
  test(`layers: ${file} — permitted imports pass`, async () => {
    for (const code of permitted) {
      assert.deepEqual(await restrictedImports(file, code), [], `${file}: \`${code}\` should be permitted`);
    }
  });
}

test('layers: the real tree has no restricted import', async () => {
  const results = await eslint.lintFiles(['server/src', 'azure/src', 'client/src', 'shared/src']);
  const hits = results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId === RULE).map((m) => `${r.filePath}:${m.line} ${m.message}`),
  );
  assert.deepEqual(hits, []);
});
