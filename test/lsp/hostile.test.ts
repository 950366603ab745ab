import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { EXAMPLES, examplesServer, fileUri, positionOf } from './lspClient';

/** Hostile input: each is answered within a bounded time or declined with one clear message, and the server stays up. */
const { client, ready } = examplesServer();
const uri = (name: string) => fileUri(join(EXAMPLES, `hostile-${name}.yaml`));

async function stillServes(): Promise<void> {
  const good = fileUri(join(EXAMPLES, 'probe.yaml'));
  const text =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: x}\nspec:\n  provider: azure\n';
  client.open(good, text);
  const hover = await client.hover(good, positionOf(text, 'provider', 2));
  assert.match((hover?.contents as MarkupContent).value, /AcrPull/);
  client.close(good);
}

test('billion laughs: aliases are never expanded', async () => {
  await ready;
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const p = String.fromCharCode(96 + i);
    lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`);
  }
  client.open(uri('bomb'), `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  ${lines.join('\n  ')}\n`);
  await client.waitForDiagnostics(uri('bomb'), undefined, 20000);
  await stillServes();
});

test('deeply nested flow and block structures', async () => {
  await ready;
  client.open(
    uri('deep-flow'),
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  );
  let block = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n';
  for (let i = 0; i < 2000; i++) block += `${' '.repeat(i + 2)}k${i}:\n`;
  client.open(uri('deep-block'), block);
  await client.waitForDiagnostics(uri('deep-flow'), undefined, 20000);
  await client.waitForDiagnostics(uri('deep-block'), undefined, 20000);
  await stillServes();
});

test('a 20 MB file is declined with one clear message', async () => {
  await ready;
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: v\n---\n';
  client.open(uri('huge'), doc.repeat(Math.ceil((20 * 1024 * 1024) / doc.length)));
  const diags = await client.waitForDiagnostics(uri('huge'), undefined, 30000);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'flux-azure/file-not-analysed');
  assert.match(diags[0].message, /larger than/);
  await stillServes();
});

test('binary content named .yaml is declined; a 1 MB single line and invalid UTF-8 replacement characters are handled', async () => {
  await ready;
  client.open(uri('binary'), 'apiVersion: v1\u0000\u0001\u0002\u0003kind: Secret');
  const diags = await client.waitForDiagnostics(uri('binary'), undefined, 20000);
  assert.deepEqual(
    diags.map((d) => d.code),
    ['flux-azure/file-not-analysed'],
  );
  client.open(
    uri('long-line'),
    `apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n  clientSecret: ${'x'.repeat(1024 * 1024)}\n`,
  );
  await client.waitForDiagnostics(uri('long-line'), undefined, 20000);
  client.open(
    uri('utf8'),
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec:\n  url: oci://\uFFFD\uFFFD.azurecr.io/x\n  provider: azure\n',
  );
  await client.waitForDiagnostics(uri('utf8'), undefined, 20000);
  await stillServes();
});

test('thousands of documents in one file', async () => {
  await ready;
  const doc = (i: number) =>
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: r${i}, namespace: ns}\nspec:\n  interval: 5m\n  url: oci://reg${i}.example.com/x\n  provider: azure\n`;
  client.open(uri('many'), Array.from({ length: 5000 }, (_, i) => doc(i)).join('---\n'));
  const diags = await client.waitForDiagnostics(uri('many'), undefined, 30000);
  assert.equal(diags.filter((d) => d.code === 'flux-azure/acr-host-mismatch').length, 5000);
  await stillServes();
});
