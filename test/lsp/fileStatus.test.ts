// The language status item's data over stdio (`fluxAzure/fileStatus`): on examples/, the clusters and Flux versions
// each file is judged against and where each version is written; on a large workspace, the scan's progress first.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStatusRequest, type FileStatus } from '../../shared/src/protocol';
import { EXAMPLES, examplesServer, fileUri, LspClient } from './lspClient';

const { client, ready } = examplesServer();

/** Asks until the scan has ended; returns every answer in order. */
async function statusUntilIndexed(c: LspClient, uri: string): Promise<FileStatus[]> {
  const answers: FileStatus[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await c.connection.sendRequest(FileStatusRequest, { uri });
    answers.push(status);
    if (!status.indexing) return answers;
    assert.ok(Date.now() < deadline, `still indexing after 60 s: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const example = (rel: string) => fileUri(join(EXAMPLES, rel));

test('a file both clusters apply reads production 2.7.2 and staging 2.6.3, each from its gotk-components.yaml', async () => {
  await ready;
  const answers = await statusUntilIndexed(client, example('infrastructure/sources/contoso-charts.yaml'));
  const status = answers.at(-1)!;
  assert.deepEqual(
    status.clusters.map((c) => [c.label, c.fluxVersion]),
    [
      ['clusters/production', 'v2.7.2'],
      ['clusters/staging', 'v2.6.3'],
    ],
  );
  for (const c of status.clusters) {
    assert.equal(c.versionFrom?.uri, example(`${c.label}/flux-system/gotk-components.yaml`));
    assert.equal(c.versionFrom?.range.start.line, 2, 'the "# Flux Version:" header line');
  }
  assert.equal(status.judgedWith, '2.6', "version checks use the oldest of the file's clusters");
  assert.equal(status.setting, undefined);
});

test("a file of one cluster reads only that cluster's version", async () => {
  await ready;
  const production = (await statusUntilIndexed(client, example('apps/production/image-automation.yaml'))).at(-1)!;
  assert.deepEqual(
    production.clusters.map((c) => [c.label, c.fluxVersion]),
    [['clusters/production', 'v2.7.2']],
  );
  assert.equal(production.judgedWith, '2.7');
  const staging = (await statusUntilIndexed(client, example('apps/staging/canary.yaml'))).at(-1)!;
  assert.deepEqual(
    staging.clusters.map((c) => [c.label, c.fluxVersion]),
    [['clusters/staging', 'v2.6.3']],
  );
  assert.equal(staging.judgedWith, '2.6');
});

test('a file no cluster applies has no cluster and no version', async () => {
  await ready;
  const status = (await statusUntilIndexed(client, fileUri(join(tmpdir(), 'elsewhere', 'loose.yaml')))).at(-1)!;
  assert.deepEqual(status.clusters, []);
  assert.equal(status.judgedWith, undefined);
});

test('during the first scan of a large workspace the answer is its progress, then the clusters', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-status-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const FILES = 4000;
  mkdirSync(join(dir, 'clusters', 'prod', 'flux-system'), { recursive: true });
  writeFileSync(
    join(dir, 'clusters', 'prod', 'flux-system', 'gotk-components.yaml'),
    '# Flux Version: v2.5.1\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
  );
  mkdirSync(join(dir, 'clusters', 'prod', 'apps'), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    writeFileSync(
      join(dir, 'clusters', 'prod', 'apps', `cm-${i}.yaml`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: apps\ndata:\n  key: "${i}"\n`,
    );
  }
  const big = new LspClient();
  after(() => big.dispose());
  await big.initialize(dir);
  const answers = await statusUntilIndexed(big, fileUri(join(dir, 'clusters', 'prod', 'apps', 'cm-1.yaml')));
  const during = answers.filter((a) => a.indexing);
  assert.ok(during.length > 0, 'the first answer comes while the scan runs');
  for (const a of during) assert.deepEqual(a.clusters, [], 'no clusters while indexing');
  const progress = during.map((a) => a.indexing!);
  for (const p of progress) assert.ok(p.read <= p.found, `${p.read} of ${p.found}`);
  assert.ok(
    progress.some((p) => p.found === FILES + 1),
    `the scan counts the workspace's files: ${JSON.stringify(progress)}`,
  );
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.read >= progress[i - 1]!.read, 'read only grows');
  assert.deepEqual(
    answers.at(-1)!.clusters.map((c) => [c.label, c.fluxVersion]),
    [['clusters/prod', 'v2.5.1']],
  );
});

test('the fluxVersion setting overrides the clusters and says so', async () => {
  const c = new LspClient({ fluxVersion: '2.4' });
  after(() => c.dispose());
  await c.initialize(EXAMPLES);
  const uri = example('infrastructure/sources/contoso-charts.yaml');
  let status = (await statusUntilIndexed(c, uri)).at(-1)!;
  // The settings are read while the scan runs; their answer may come a moment after it.
  for (let i = 0; i < 100 && !status.setting; i++) {
    await new Promise((r) => setTimeout(r, 50));
    status = await c.connection.sendRequest(FileStatusRequest, { uri });
  }
  assert.equal(status.setting, '2.4');
  assert.equal(status.judgedWith, '2.4');
  assert.equal(status.clusters.length, 2, 'the clusters that apply the file are still named');
});
