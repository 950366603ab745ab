import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, LspClient, positionOf, REPO } from './lspClient';

/**
 * Diagnostics of files nobody has open (`fluxAzure.diagnostics.scope`: `workspace`, the default): published after
 * the first scan as the CLI reports them, kept up to date as files change on disk, left to the editor's text while
 * a file is open, and withdrawn with the `openFiles` scope.
 */
const root = mkdtempSync(join(tmpdir(), 'flux-azure-wsdiag-'));
const big = mkdtempSync(join(tmpdir(), 'flux-azure-wsdiag-big-'));
const settings: { fluxVersion: string; diagnostics: { enable: boolean; scope: string } } = {
  fluxVersion: '',
  diagnostics: { enable: true, scope: 'workspace' },
};
const client = new LspClient(settings);
const clients = [client];
after(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  rmSync(root, { recursive: true, force: true });
  rmSync(big, { recursive: true, force: true });
});

const BUCKET = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata: {name: b, namespace: apps}\nspec:\n  interval: 5m\n  provider: azure\n  bucketName: c\n  endpoint: https://acct.blob.core.windows.net\n  serviceAccountName: acr\n`;
const SSH_URL = 'ssh://git@ssh.dev.azure.com/v3/contoso/fleet/fleet-infra';
const HTTPS_URL = 'https://dev.azure.com/contoso/fleet/_git/fleet-infra';
const GIT = (url: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: g, namespace: apps}\nspec:\n  interval: 5m\n  provider: azure\n  url: ${url}\n  ref: {branch: main}\n`;
const SA = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: acr\n  namespace: apps\n  annotations:\n    azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555\n    azure.workload.identity/tenant-id: 66666666-7777-8888-9999-000000000000\n`;
const PLAIN = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: apps}\ndata: {a: b}\n`;

const path = (rel: string) => join(root, 'apps', rel);
const uri = (rel: string) => fileUri(path(rel));
const codes = (d: Diagnostic[]) => d.map((x) => String(x.code)).sort();

function onDisk(rel: string, text: string | undefined, c = client): void {
  if (text === undefined) rmSync(path(rel));
  else writeFileSync(path(rel), text);
  void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: uri(rel), type: text === undefined ? 3 : 2 }],
  });
}

test('after initialize, the findings of files never opened are published, as the CLI reports them', async () => {
  mkdirSync(join(root, 'apps'), { recursive: true });
  writeFileSync(path('bucket.yaml'), BUCKET);
  writeFileSync(path('git.yaml'), GIT(SSH_URL));
  writeFileSync(path('plain.yaml'), PLAIN);
  await client.initialize(root);
  // No didOpen: a cross-file finding (the ServiceAccount is nowhere) and a one-file one (an SSH URL).
  assert.deepEqual(codes(await client.waitForDiagnostics(uri('bucket.yaml'))), ['flux-azure/sa-not-found']);
  assert.deepEqual(codes(await client.waitForDiagnostics(uri('git.yaml'))), ['flux-azure/ado-url-format']);

  const r = spawnSync(process.execPath, [join(REPO, 'server', 'out', 'cli.js'), '.', '--format', 'json', '--hints'], {
    cwd: root,
    encoding: 'utf8',
  });
  const fromCli = (JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string }[])
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)
    .sort();
  const fromServer = [...client.diagnostics.values()]
    .filter((p) => p.uri.startsWith(fileUri(root)))
    .flatMap((p) =>
      p.diagnostics.map((d) => {
        const file = relative(root, fileURLToPath(p.uri)).split('\\').join('/');
        return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)}`;
      }),
    )
    .sort();
  assert.deepEqual(fromServer, fromCli);
  assert.equal(fromCli.length, 2);
});

test('files changed on disk: a fixed file and one fixed by another file get an empty publish, a deleted one too', async () => {
  onDisk('git.yaml', GIT(HTTPS_URL));
  await client.waitForDiagnostics(uri('git.yaml'), (d) => d.length === 0);
  // bucket.yaml itself is unchanged: the ServiceAccount appears in another file.
  onDisk('sa.yaml', SA);
  await client.waitForDiagnostics(uri('bucket.yaml'), (d) => d.length === 0);
  onDisk('sa.yaml', undefined);
  await client.waitForDiagnostics(uri('bucket.yaml'), (d) => codes(d).includes('flux-azure/sa-not-found'));
  onDisk('bucket.yaml', undefined);
  await client.waitForDiagnostics(uri('bucket.yaml'), (d) => d.length === 0);
});

test('an open document is judged from its editor text, never the disk; closed again, from disk', async () => {
  const text = GIT(HTTPS_URL);
  client.open(uri('git.yaml'), text);
  assert.deepEqual(await client.waitForDiagnostics(uri('git.yaml')), []);
  const version = client.change(uri('git.yaml'), GIT(SSH_URL));
  const edited = await client.waitForDiagnostics(uri('git.yaml'), (d) => d.length > 0);
  assert.deepEqual(codes(edited), ['flux-azure/ado-url-format']);
  assert.deepEqual(edited[0]!.range.start, positionOf(GIT(SSH_URL), SSH_URL));
  // The disk copy changes meanwhile (still fixed, another line): nothing published replaces the editor's findings.
  onDisk('git.yaml', text.replace('interval: 5m', 'interval: 10m'));
  onDisk('plain.yaml', GIT(SSH_URL).replace('name: g', 'name: probe'));
  await client.waitForDiagnostics(fileUri(path('plain.yaml')), (d) => d.length > 0);
  const now = client.diagnostics.get(uri('git.yaml'))!;
  assert.equal(now.version, version);
  assert.deepEqual(codes(now.diagnostics), ['flux-azure/ado-url-format']);
  client.close(uri('git.yaml'));
  await client.waitForDiagnostics(uri('git.yaml'), (d) => d.length === 0);
  assert.equal(client.diagnostics.get(uri('git.yaml'))!.version, undefined);
});

test('scope openFiles, set live, withdraws the diagnostics of closed files; workspace brings them back', async () => {
  const open = fileUri(path('open.yaml'));
  writeFileSync(path('open.yaml'), GIT(SSH_URL));
  client.open(open, GIT(SSH_URL));
  await client.waitForDiagnostics(open, (d) => d.length > 0);
  settings.diagnostics.scope = 'openFiles';
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await client.waitForDiagnostics(uri('plain.yaml'), (d) => d.length === 0);
  assert.deepEqual(codes(client.diagnostics.get(open)!.diagnostics), ['flux-azure/ado-url-format']);
  settings.diagnostics.scope = 'workspace';
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.deepEqual(codes(await client.waitForDiagnostics(uri('plain.yaml'), (d) => d.length > 0)), [
    'flux-azure/ado-url-format',
  ]);
  client.close(open);
});

test('started with scope openFiles, only open documents get diagnostics', async () => {
  const c = new LspClient({ fluxVersion: '', diagnostics: { enable: true, scope: 'openFiles' } });
  clients.push(c);
  await c.initialize(root);
  c.open(uri('git.yaml'), GIT(SSH_URL));
  assert.deepEqual(codes(await c.waitForDiagnostics(uri('git.yaml'))), ['flux-azure/ado-url-format']);
  // Long enough for a pass over this small folder to have published.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(c.diagnostics.get(uri('plain.yaml')), undefined, 'plain.yaml (closed, with a finding) is not published');
  assert.deepEqual([...c.diagnostics.keys()], [uri('git.yaml')]);
});

test('a large repository: a hover is answered while the closed files are still being published', async () => {
  const FILES = 1800;
  for (let i = 0; i < FILES; i++) {
    const dir = join(big, `team-${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `git-${i}.yaml`), GIT(SSH_URL).replace('name: g', `name: g${i}`));
  }
  const c = new LspClient();
  clients.push(c);
  const prefix = fileUri(join(big, 'team-'));
  const count = () =>
    [...c.diagnostics.values()].filter((p) => p.diagnostics.length > 0 && p.uri.startsWith(prefix)).length;
  await c.initialize(big);
  const first = fileUri(join(big, 'team-0', 'git-0.yaml'));
  // Wait for the pass to be under way, then ask for a hover on a document opened meanwhile.
  const started = Date.now() + 60_000;
  while (count() === 0 && Date.now() < started) await new Promise((resolve) => setTimeout(resolve, 5));
  const text = GIT(SSH_URL).replace('name: g', 'name: g0');
  c.open(fileUri(join(big, 'hover.yaml')), text);
  const hover = await c.hover(fileUri(join(big, 'hover.yaml')), positionOf(text, 'provider', 2));
  const whenAnswered = count();
  assert.ok(hover, 'the hover is answered');
  assert.ok(whenAnswered < FILES, `the hover was answered after ${whenAnswered} of ${FILES} files were published`);
  const deadline = Date.now() + 60_000;
  while (count() < FILES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(count(), FILES, 'every file with a finding is published');
  assert.ok(c.diagnostics.has(first));

  // One file fixed on disk: that file alone is judged again (its facts, read by no other file, did not change).
  const judgedLogs = () => c.logs.filter((l) => l.startsWith('workspace diagnostics: judged'));
  // The pass logs after its last publish: wait for its line, so that it is not taken for the next pass's.
  while (judgedLogs().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const before = judgedLogs().length;
  writeFileSync(fileURLToPath(first), GIT(HTTPS_URL).replace('name: g', 'name: g0'));
  void c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: first, type: 2 }] });
  await c.waitForDiagnostics(first, (d) => d.length === 0);
  while (judgedLogs().length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(judgedLogs().at(-1) ?? '', /judged 1 files/);
  assert.equal(count(), FILES - 1);
});
