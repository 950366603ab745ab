// A file open while the first scan of a large workspace runs (an editor restoring its tabs): it shows at once the
// findings no other file can change, never one the scan could take back, and after the scan exactly what a server
// that had finished its scan shows.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';

const IMAGES = `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata:
  name: web
  namespace: apps
spec:
  image: docker.io/library/nginx
  interval: 5m
  provider: azure
  serviceAccountName: web-images
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web-images
  namespace: apps
  annotations:
    azure.workload.identity/client-id: not-a-guid
`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-local-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  // The cluster's controllers run as generated (no gate): known only once the scan has read flux-system.
  write(
    'clusters/prod/flux-system/gotk-components.yaml',
    '# Flux Version: v2.6.0\n# Components: source-controller,kustomize-controller,image-reflector-controller\n' +
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
  );
  write(
    'clusters/prod/flux-system/kustomization.yaml',
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n',
  );
  for (let i = 0; i < 4000; i++)
    write(
      `clusters/prod/apps/cm-${i}.yaml`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: apps\ndata:\n  key: "${i}"\n`,
    );
  write('clusters/prod/apps/images.yaml', IMAGES);
  return dir;
}

const scanEnded = (c: LspClient) => c.logs.some((l) => /^indexed \d+ YAML files/.test(l));
const same = (d: Diagnostic) => JSON.stringify([d.code, d.range, d.severity, d.message]);

test('a file open during the first scan shows its own findings at once, then what a fully scanned server shows', async () => {
  const dir = workspace();
  const uri = fileUri(join(dir, 'clusters/prod/apps/images.yaml'));

  const c = new LspClient();
  after(() => c.dispose());
  await c.initialize(dir);
  c.open(uri, IMAGES);
  const first = await c.nextDiagnostics(uri);
  assert.equal(scanEnded(c), false, 'the first diagnostics come while the scan runs');
  const firstCodes = first.map((d) => d.code);
  assert.ok(firstCodes.includes('flux-azure/acr-host-mismatch'), `the file's own mistake: ${firstCodes}`);
  assert.ok(!firstCodes.includes('flux-azure/gate-missing'), 'nothing that needs the cluster (not read yet)');
  const final = await c.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'flux-azure/gate-missing'));
  assert.ok(scanEnded(c));

  // The same file opened on a server whose scan had ended.
  const reference = new LspClient();
  after(() => reference.dispose());
  await reference.initialize(dir);
  for (let i = 0; i < 600 && !scanEnded(reference); i++) await new Promise((r) => setTimeout(r, 50));
  reference.open(uri, IMAGES);
  const expected = await reference.waitForDiagnostics(uri);
  assert.deepEqual(final.map(same).sort(), expected.map(same).sort(), 'after the scan: the full-scan findings');
  const finalSet = new Set(final.map(same));
  for (const d of first) assert.ok(finalSet.has(same(d)), `shown early, kept after the scan: ${d.message}`);
});
