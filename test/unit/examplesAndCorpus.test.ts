import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { analyzeFolder } from './analyze';

const REPO = join(__dirname, '..', '..', '..');
const CORPUS = join(REPO, '..', 'shared', 'corpus');

/** The deliberate mistakes examples/README.md documents: file, 1-based line, code. */
const DELIBERATE = [
  'apps/production/image-automation.yaml:12 flux-azure/gate-missing',
  'apps/staging/canary.yaml:26 flux-azure/sa-missing-annotations',
  'apps/staging/canary.yaml:53 flux-azure/acr-host-mismatch',
  'clusters/staging/flux-system/kustomization.yaml:84 flux-azure/wi-use-label-not-string',
  'infrastructure/notifications/production/providers.yaml:33 flux-azure/eventhub-address-channel',
  'infrastructure/sources/platform-policies.yaml:12 flux-azure/ado-url-format',
  'infrastructure/storage/staging/fleet-config.yaml:33 flux-azure/object-level-wi-unsupported-version',
  'infrastructure/storage/staging/terraform-outputs.yaml:37 flux-azure/send-chain-quoting',
];

test('examples/: exactly the documented deliberate mistakes are reported, nothing else', async () => {
  const found = (await analyzeFolder(join(REPO, 'examples')))
    .filter(({ d }) => d.severity !== DiagnosticSeverity.Hint)
    .map(({ file, d }) => `${file}:${d.range.start.line + 1} ${d.code}`)
    .sort();
  assert.deepEqual(found, [...DELIBERATE].sort());
  const readme = readFileSync(join(REPO, 'examples', 'README.md'), 'utf8');
  for (const entry of DELIBERATE) assert.ok(readme.includes(entry.split(':')[0]), `README documents ${entry}`);
});

test('examples/: each mistake names the other half where it has one', async () => {
  const all = await analyzeFolder(join(REPO, 'examples'));
  const sa = all.find(({ d }) => d.code === 'flux-azure/sa-missing-annotations')!;
  assert.match(sa.d.relatedInformation![0].location.uri, /canary\.yaml$/);
  const gate = all.find(({ d }) => d.code === 'flux-azure/gate-missing')!;
  assert.match(gate.d.relatedInformation![0].location.uri, /clusters\/production\/flux-system\/kustomization\.yaml$/);
  assert.ok((gate.d.data as { fixes: unknown[] }).fixes.length > 0, 'gate-missing offers a fix');
});

test(
  'shared corpus: no error or warning outside the reviewed allow-list',
  { skip: !existsSync(CORPUS) && 'corpus not present' },
  async () => {
    const allow = JSON.parse(readFileSync(join(REPO, 'test', 'corpus-allowlist.json'), 'utf8')) as Record<
      string,
      string
    >;
    const found = (await analyzeFolder(CORPUS))
      .filter(({ d }) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning)
      .map(({ file, d }) => `${file}:${d.range.start.line + 1} ${d.code}`);
    const unexpected = found.filter((k) => !(k in allow));
    assert.deepEqual(unexpected, [], 'every error/warning on real manifests is reviewed');
    const stale = Object.keys(allow).filter((k) => !k.startsWith('_') && !found.includes(k));
    assert.deepEqual(stale, [], 'allow-list entries still fire');
  },
);
