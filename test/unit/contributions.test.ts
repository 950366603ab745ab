import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DEFAULT_SETTINGS } from '../../shared/src/protocol';
import { parseManifest } from '../../server/src/document/manifest';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { buildSnippets, snippetsFileText, SNIPPET_PREFIX } from '../../server/src/features/snippets';
import { injectionGrammarText } from '../../server/src/features/grammar';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';

const REPO = join(__dirname, '..', '..', '..');

/**
 * Expands a snippet body the way VS Code inserts it when the user accepts every default: a tab stop becomes its
 * placeholder, a choice its first option, a mirror the value of its tab stop, `$0` nothing.
 */
function expandSnippet(body: readonly string[]): string {
  const text = body.join('\n');
  const values = new Map<string, string>();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    const simple = /^\$(\d+)/.exec(text.slice(i));
    if (simple) {
      out += values.get(simple[1]!) ?? '';
      i += simple[0].length - 1;
      continue;
    }
    const open = /^\$\{(\d+)([:|])/.exec(text.slice(i));
    if (!open) throw new Error(`bad snippet syntax at ${text.slice(i, i + 20)}`);
    i += open[0].length;
    let value = '';
    const end = open[2] === ':' ? '}' : '|';
    while (text[i] !== end) {
      if (text[i] === '\\') i++;
      value += text[i++];
    }
    if (open[2] === '|') {
      value = value.split(',')[0]!;
      i++; // the `}` after `|`
    }
    values.set(open[1]!, value);
    out += value;
  }
  return out;
}

/** Problems (errors and warnings) our server reports for a text. */
function problems(text: string, uri: string): string[] {
  const file = parseManifest(uri, 1, text);
  // As for an open document, the server indexes the file itself (a Provider finds its Secret in the same file).
  const index = new WorkspaceIndex();
  index.updateFromOpen(file);
  return computeDiagnostics(file, { index, settings: DEFAULT_SETTINGS })
    .filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning)
    .map((d) => `${d.range.start.line + 1}: ${String(d.code)} ${d.message}`);
}

test('the committed snippets file is the generator output (run node scripts/gen-contributions.mjs)', () => {
  const committed = readFileSync(join(REPO, 'snippets', 'flux-azure.code-snippets'), 'utf8');
  assert.equal(committed, snippetsFileText());
});

test('the committed injection grammar is the generator output, and package.json injects it into YAML', () => {
  const committed = readFileSync(join(REPO, 'syntaxes', 'flux-azure.injection.tmLanguage.json'), 'utf8');
  assert.equal(committed, injectionGrammarText());
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[]; snippets: { path: string }[] };
  };
  const grammar = manifest.contributes.grammars.find((g) => g.path.endsWith('flux-azure.injection.tmLanguage.json'));
  assert.deepEqual(grammar?.injectTo, ['source.yaml']);
  assert.equal(grammar?.scopeName, (JSON.parse(committed) as { scopeName: string }).scopeName);
  assert.ok(manifest.contributes.snippets.some((s) => s.path.endsWith('flux-azure.code-snippets')));
});

test('snippets share the flux-azure- prefix stem; prefixes are unique', () => {
  const prefixes = Object.values(buildSnippets()).map((s) => s.prefix);
  assert.ok(prefixes.every((p) => p.startsWith(SNIPPET_PREFIX)));
  assert.equal(new Set(prefixes).size, prefixes.length);
  for (const wanted of [
    'ocirepository',
    'helmrepository-oci',
    'gitrepository-ado',
    'bucket',
    'imagerepository',
    'imagepolicy',
    'imageupdateautomation',
    'kustomization-sops-workload-identity',
    'kustomization-sops-secret',
    'provider-azuredevops',
    'provider-azureeventhub',
    'provider-azureeventhub-sas',
    'serviceaccount',
    'secret-bucket-certificate',
    'secret-sops-azure-kv',
    'patch-object-level-gate',
    'patch-aks-workload-identity',
    'patch-workload-identity',
    'patch-app-certificate',
    'aso-identity',
    'aso-federated-credential',
    'aso-role-acr-pull',
    'aso-role-storage-blob-data-reader',
    'aso-role-key-vault-crypto-user',
    'aso-role-azure-event-hubs-data-sender',
  ])
    assert.ok(prefixes.includes(SNIPPET_PREFIX + wanted), `snippet ${wanted}`);
});

test('every snippet, with its defaults, is YAML our server accepts (placeholders aside)', () => {
  for (const [name, snippet] of Object.entries(buildSnippets())) {
    let text = expandSnippet(snippet.body);
    if (snippet.prefix.includes('-patch-'))
      text = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\npatches:\n${text
        .split('\n')
        .map((l) => (l ? `  ${l}` : l))
        .join('\n')}`;
    for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, [], `${name} parses`);
    assert.deepEqual(problems(text, `file:///snippets/${snippet.prefix}.yaml`), [], name);
  }
});

test('send-chain quoting: quoted in the Bucket Secret, a bare boolean inside sops.azure-kv', () => {
  const snippets = Object.values(buildSnippets());
  const bucket = expandSnippet(snippets.find((s) => s.prefix.endsWith('secret-bucket-certificate'))!.body);
  const sops = expandSnippet(snippets.find((s) => s.prefix.endsWith('secret-sops-azure-kv'))!.body);
  assert.match(bucket, /clientCertificateSendChain: "true"/);
  assert.match(sops, /clientCertificateSendChain: true\n/);
});

test('role assignment snippets carry the role definition GUIDs of the catalog', () => {
  const acr = Object.values(buildSnippets()).find((s) => s.prefix.endsWith('aso-role-acr-pull'))!;
  assert.ok(
    acr.body
      .join('\n')
      .includes('/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d'),
  );
});
