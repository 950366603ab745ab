import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, examplesServer, fileUri } from './lspClient';

const { client, ready } = examplesServer();

const SOURCE = (url: string, name = 'policies') =>
  [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    `  name: ${name}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 5m',
    '  provider: azure',
    `  url: ${url}`,
    '  ref:',
    '    branch: main',
    '',
  ].join('\n');

const HTTPS = 'https://dev.azure.com/contoso/fleet/_git/policies';
const SSH = 'ssh://git@ssh.dev.azure.com/v3/contoso/fleet/policies';

test('typing fast: diagnostics are published for the last version, computed from its text', async () => {
  await ready;
  const uri = fileUri(join(EXAMPLES, 'burst.yaml'));
  // Many documents, so that each analysis has some work to do.
  const others = Array.from({ length: 200 }, (_, i) => SOURCE(HTTPS, `repo-${i}`)).join('---\n');
  client.open(uri, `${SOURCE(HTTPS)}---\n${others}`);
  assert.deepEqual(
    (await client.waitForDiagnostics(uri)).filter((d) => d.code === 'flux-azure/ado-url-format'),
    [],
  );
  // 60 edits without waiting; the last one makes the first document's URL an SSH URL.
  for (let i = 0; i < 59; i++) client.change(uri, `${SOURCE(HTTPS, `policies-${i}`)}---\n${others}`);
  const last = client.change(uri, `${SOURCE(SSH)}---\n${others}`);
  const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'flux-azure/ado-url-format'));
  assert.equal(client.version(uri), last);
  assert.equal(client.diagnostics.get(uri)?.version, last, 'published for the final version');
  assert.equal(diags.filter((d) => d.code === 'flux-azure/ado-url-format').length, 1);
  client.close(uri);
});

test('every opened document gets a publish, an empty list included, even opened together', async () => {
  await ready;
  const uris = Array.from({ length: 40 }, (_, i) => fileUri(join(EXAMPLES, `together-${i}.yaml`)));
  uris.forEach((uri, i) => client.open(uri, i % 2 ? SOURCE(SSH) : 'replicas: 3\n'));
  for (const [i, uri] of uris.entries()) {
    const diags = await client.waitForDiagnostics(uri);
    if (i % 2) assert.ok(diags.some((d) => d.code === 'flux-azure/ado-url-format'));
    else assert.deepEqual(diags, []);
  }
  for (const uri of uris) client.close(uri);
});

test('hover and completion are answered while a large document is being analysed', async () => {
  await ready;
  const uri = fileUri(join(EXAMPLES, 'large-open.yaml'));
  const text = Array.from({ length: 2000 }, (_, i) => SOURCE(i % 3 ? HTTPS : SSH, `repo-${i}`)).join('---\n');
  client.open(uri, text);
  // Sent right after the open, answered from the document model (not after the diagnostics).
  const hover = await client.hover(uri, { line: 7, character: 4 });
  assert.ok(hover, 'hover on spec.provider');
  const items = await client.completion(uri, { line: 7, character: 12 });
  assert.ok(items.length > 0, 'completion of spec.provider');
  const diags = await client.waitForDiagnostics(uri);
  assert.ok(diags.filter((d) => d.code === 'flux-azure/ado-url-format').length >= 600);
  client.close(uri);
});

test('a change whose version is not newer than the last one (repeated, out of order) is ignored', async () => {
  await ready;
  const uri = fileUri(join(EXAMPLES, 'versions.yaml'));
  client.open(uri, SOURCE(HTTPS), 5);
  const change = (version: number, contentChanges: unknown[]) =>
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges,
    });
  // The SSH URL comes with version 5 again and with version 3: both too old.
  change(5, [{ text: SOURCE(SSH) }]);
  change(3, [{ text: SOURCE(SSH) }]);
  // Version 6 renames the object, as an edit of the text of version 5 (the HTTPS one).
  const line = SOURCE(HTTPS).split('\n').indexOf('  name: policies');
  change(6, [{ range: { start: { line, character: 8 }, end: { line, character: 16 } }, text: 'renamed' }]);
  let published = client.diagnostics.get(uri);
  while (published?.version !== 6) {
    await client.nextDiagnostics(uri);
    published = client.diagnostics.get(uri);
  }
  assert.deepEqual(
    published.diagnostics.filter((d) => d.code === 'flux-azure/ado-url-format'),
    [],
    'the URL of version 5 is still HTTPS',
  );
  client.close(uri);
});
