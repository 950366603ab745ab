import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { EXAMPLES, examplesServer, fileUri, positionOf, readExample } from './lspClient';

const { client, ready } = examplesServer();

/** Completion once the workspace index is ready (the first requests may come before the scan finished). */
async function completeWhenIndexed(
  uri: string,
  text: string,
  needle: string,
  delta: number,
  until: (i: CompletionItem[]) => boolean,
) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const items = await client.completion(uri, positionOf(text, needle, delta));
    if (until(items) || Date.now() > deadline) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the example file `rel` with `typed` in place of `from`, as if the user were typing there. */
async function openTyping(rel: string, from: string, typed: string): Promise<{ uri: string; edited: string }> {
  await ready;
  const { uri, text } = readExample(rel);
  const edited = text.replace(from, typed);
  assert.notEqual(edited, text, `'${from}' is in ${rel}`);
  client.open(uri, edited);
  return { uri, edited };
}

test('completion of serviceAccountName in an example OCIRepository: namespace ServiceAccounts, range after the colon', async () => {
  const { uri, edited } = await openTyping(
    'apps/base/podinfo/source.yaml',
    'serviceAccountName: podinfo-source',
    'serviceAccountName: ',
  );
  const items = await completeWhenIndexed(uri, edited, 'serviceAccountName: ', 20, (i) => i.length > 0);
  const source = items.find((i) => i.label === 'podinfo-source');
  assert.ok(source, JSON.stringify(items.map((i) => i.label)));
  assert.equal(source!.detail, 'client-id 2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81');
  const edit = source!.textEdit as TextEdit;
  const at = positionOf(edited, 'serviceAccountName: ', 20);
  assert.deepEqual(edit.range, { start: at, end: at });
  client.close(uri);
});

test('completion inside the staging `patch: |` block: AZURE_* names replace the typed prefix only', async () => {
  const rel = 'clusters/staging/flux-system/kustomization.yaml';
  const { uri, edited } = await openTyping(rel, 'name: AZURE_AUTHORITY_HOST', 'name: AZURE_AU');
  const items = await client.completion(uri, positionOf(edited, 'name: AZURE_AU', 14));
  const host = items.find((i) => i.label === 'AZURE_AUTHORITY_HOST');
  assert.ok(host);
  const start = positionOf(edited, 'name: AZURE_AU', 6);
  assert.deepEqual((host!.textEdit as TextEdit).range, {
    start,
    end: { line: start.line, character: start.character + 8 },
  });
  assert.match((host!.documentation as MarkupContent).value, /Entra login endpoint/);
  client.close(uri);
});

test('completion of the gate argument in a JSON6902 op of the production kustomization', async () => {
  const rel = 'clusters/production/flux-system/kustomization.yaml';
  const { uri, edited } = await openTyping(
    rel,
    'value: --feature-gates=ObjectLevelWorkloadIdentity=true',
    'value: --f',
  );
  const items = await client.completion(uri, positionOf(edited, 'value: --f', 10));
  assert.equal(items[0]?.label, '--feature-gates=ObjectLevelWorkloadIdentity=true');
  assert.ok(
    items.some((i) => i.label === '--default-service-account=<name>'),
    'production runs Flux 2.7',
  );
  client.close(uri);
});

test('hover inside the staging `sops.azure-kv: |` block explains the nested field, never the value', async () => {
  await ready;
  const { uri, text } = readExample('clusters/staging/sops-azure-kv.yaml');
  client.open(uri, text);
  const key = await client.hover(uri, positionOf(text, 'clientCertificateSendChain', 3));
  assert.match((key?.contents as MarkupContent).value, /Go \*\*bool\*\*/);
  assert.deepEqual(key?.range?.start, positionOf(text, 'clientCertificateSendChain'));
  const value = await client.hover(uri, positionOf(text, 'clientId: ac14', 12));
  const shown = (value?.contents as MarkupContent).value;
  assert.match(shown, /Value not shown/);
  assert.ok(!shown.includes('ac14fb1b'));
  client.close(uri);
});

test('hover on a role GUID in a Provider docs comment-free value and on plain YAML', async () => {
  await ready;
  const uri = fileUri(join(EXAMPLES, 'scratch-roles.yaml'));
  const text =
    'steps:\n  - run: az role assignment create --role 12338af0-0e69-4776-bea7-57ae8d297424\nimage:\n  tag: latest\n';
  client.open(uri, text);
  const role = await client.hover(uri, positionOf(text, '12338af0', 4));
  assert.match((role?.contents as MarkupContent).value, /\*\*Key Vault Crypto User\*\*/);
  assert.equal(await client.hover(uri, positionOf(text, 'latest', 2)), null);
  assert.deepEqual(await client.completion(uri, positionOf(text, 'tag: ', 5)), []);
  client.close(uri);
});

test('completion asked past the end of the line (LSP: the line end) edits within the line', async () => {
  const { uri, edited } = await openTyping(
    'apps/base/podinfo/source.yaml',
    'serviceAccountName: podinfo-source',
    'serviceAccountName: ',
  );
  const atEnd = await completeWhenIndexed(uri, edited, 'serviceAccountName: ', 20, (i) => i.length > 0);
  const { line } = positionOf(edited, 'serviceAccountName: ');
  const lineLength = edited.split('\n')[line]!.length;
  const items = await client.completion(uri, { line, character: lineLength + 15 });
  assert.deepEqual(
    items.map((i) => i.label),
    atEnd.map((i) => i.label),
  );
  for (const item of items) {
    const range = (item.textEdit as TextEdit | undefined)?.range;
    if (range) assert.ok(range.end.character <= lineLength, `${item.label}: ${JSON.stringify(range)}`);
  }
});
