import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PatchContextRequest } from '../../shared/src/protocol';
import { fileUri, LspClient } from './lspClient';

/** Faults around the editor: files deleted while open, folders added and removed, settings changed mid-session. */
const root = mkdtempSync(join(tmpdir(), 'flux-azure-faults-'));
const other = mkdtempSync(join(tmpdir(), 'flux-azure-faults-other-'));
const settings: Record<string, unknown> = { fluxVersion: '', diagnostics: { enable: true } };
const client = new LspClient(settings);
after(async () => {
  await client.dispose();
  rmSync(root, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

const SA = (ns: string) =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: acr\n  namespace: ${ns}\n  annotations:\n    azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555\n    azure.workload.identity/tenant-id: 66666666-7777-8888-9999-000000000000\n`;
const BUCKET = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata: {name: b, namespace: apps}\nspec:\n  interval: 5m\n  provider: azure\n  bucketName: c\n  endpoint: https://acct.blob.core.windows.net\n  serviceAccountName: acr\n`;
const codes = (d: { code?: unknown }[]) => d.map((x) => String(x.code)).sort();

test('a ServiceAccount file deleted on disk (and recreated) updates the open object', async () => {
  mkdirSync(join(root, 'apps'), { recursive: true });
  writeFileSync(join(root, 'apps', 'sa.yaml'), SA('apps'));
  writeFileSync(join(root, 'apps', 'bucket.yaml'), BUCKET);
  await client.initialize(root);
  const uri = fileUri(join(root, 'apps', 'bucket.yaml'));
  client.open(uri, BUCKET);
  assert.deepEqual(codes(await client.waitForDiagnostics(uri)), []);
  rmSync(join(root, 'apps', 'sa.yaml'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(join(root, 'apps', 'sa.yaml')), type: 3 }],
  });
  await client.waitForDiagnostics(uri, (d) => codes(d).includes('flux-azure/sa-not-found'));
  writeFileSync(join(root, 'apps', 'sa.yaml'), SA('apps'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(join(root, 'apps', 'sa.yaml')), type: 1 }],
  });
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
});

test('the open document itself deleted on disk keeps its editor text analysed', async () => {
  const uri = fileUri(join(root, 'apps', 'bucket.yaml'));
  rmSync(join(root, 'apps', 'bucket.yaml'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
  client.change(uri, BUCKET.replace('provider: azure', 'provider: generic'));
  await client.waitForDiagnostics(uri, (d) => codes(d).includes('flux-azure/bucket-sa-generic-provider'));
  client.change(uri, BUCKET);
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
});

test('workspace folders added and removed are indexed and forgotten', async () => {
  const uri = fileUri(join(root, 'apps', 'bucket.yaml'));
  rmSync(join(root, 'apps', 'sa.yaml'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(join(root, 'apps', 'sa.yaml')), type: 3 }],
  });
  await client.waitForDiagnostics(uri, (d) => codes(d).includes('flux-azure/sa-not-found'));
  writeFileSync(join(other, 'sa.yaml'), SA('apps'));
  void client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
    event: { added: [{ uri: fileUri(other), name: 'other' }], removed: [] },
  });
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
  void client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
    event: { added: [], removed: [{ uri: fileUri(other), name: 'other' }] },
  });
  await client.waitForDiagnostics(uri, (d) => codes(d).includes('flux-azure/sa-not-found'));
});

test('settings changed mid-session: Flux version override and diagnostics off', async () => {
  const uri = fileUri(join(root, 'apps', 'bucket.yaml'));
  writeFileSync(join(root, 'apps', 'sa.yaml'), SA('apps'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(join(root, 'apps', 'sa.yaml')), type: 1 }],
  });
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
  settings.fluxVersion = '2.6';
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await client.waitForDiagnostics(uri, (d) => codes(d).includes('flux-azure/object-level-wi-unsupported-version'));
  settings.diagnostics = { enable: false };
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
});

test('two ServiceAccounts of the same name: the one judged does not depend on which file was written last', async () => {
  settings.fluxVersion = '';
  settings.diagnostics = { enable: true };
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const bare = SA('dup').replace(/ {2}annotations:\n(?: {4}.*\n)+/, '');
  const [first, second] = [join(root, 'dup', 'a-sa.yaml'), join(root, 'dup', 'b-sa.yaml')];
  mkdirSync(join(root, 'dup'), { recursive: true });
  writeFileSync(first, bare);
  writeFileSync(second, SA('dup'));
  const notify = (type: number, ...paths: string[]) =>
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: paths.map((path) => ({ uri: fileUri(path), type })),
    });
  notify(1, first, second);
  const uri = fileUri(join(root, 'dup', 'bucket.yaml'));
  client.open(uri, BUCKET.replace('namespace: apps', 'namespace: dup'));
  // Once both are indexed, the first file in path order is judged.
  const before = codes(
    await client.waitForDiagnostics(uri, (d) => d.length > 0 && !codes(d).includes('flux-azure/sa-not-found')),
  );
  assert.deepEqual(before, ['flux-azure/sa-missing-annotations']);
  // The first file deleted and written again as it was: the same workspace, the same finding.
  rmSync(first);
  notify(3, first);
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
  writeFileSync(first, bare);
  notify(1, first);
  // (were the newest file judged, the finding would not come back)
  assert.deepEqual(codes(await client.waitForDiagnostics(uri, (d) => d.length > 0, 10000)), before);
});

test('a folder removed while it is being scanned leaves nothing of it indexed', async () => {
  const racing = mkdtempSync(join(tmpdir(), 'flux-azure-faults-racing-'));
  writeFileSync(join(racing, 'sa.yaml'), SA('race'));
  const uri = fileUri(join(root, 'race', 'bucket.yaml'));
  client.open(uri, BUCKET.replace('namespace: apps', 'namespace: race'));
  assert.deepEqual(codes(await client.waitForDiagnostics(uri)), ['flux-azure/sa-not-found']);
  const folder = { uri: fileUri(racing), name: 'racing' };
  void client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
    event: { added: [folder], removed: [] },
  });
  void client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
    event: { added: [], removed: [folder] },
  });
  // The patch request answers once the scan is over; the folder change then re-judges the open documents.
  const judged = client.nextDiagnostics(uri);
  await client.connection.sendRequest(PatchContextRequest.method, { uri });
  assert.deepEqual(codes(await judged), ['flux-azure/sa-not-found']);
  rmSync(racing, { recursive: true, force: true });
});

test('a file outside the folders, opened and closed, is forgotten as a fresh server would not know it', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'flux-azure-faults-outside-'));
  writeFileSync(join(outside, 'sa.yaml'), SA('away'));
  const uri = fileUri(join(root, 'away', 'bucket.yaml'));
  client.open(uri, BUCKET.replace('namespace: apps', 'namespace: away'));
  assert.deepEqual(codes(await client.waitForDiagnostics(uri)), ['flux-azure/sa-not-found']);
  const sa = fileUri(join(outside, 'sa.yaml'));
  client.open(sa, SA('away'));
  await client.waitForDiagnostics(uri, (d) => d.length === 0);
  client.close(sa);
  await client.waitForDiagnostics(uri, (d) => codes(d).includes('flux-azure/sa-not-found'), 10000);
  rmSync(outside, { recursive: true, force: true });
});
