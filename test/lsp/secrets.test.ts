import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { EXAMPLES, fileUri, LspClient, positionOf, REPO } from './lspClient';

/**
 * Secrets never leak: with trace logging on, secret values, private keys and client secrets that carry a marker
 * never appear in any log line, diagnostic, hover or code action; and the server never opens a network socket.
 */
const MARKER = 'LEAKMARKER7f3c';
const client = new LspClient(
  { fluxVersion: '', trace: { server: 'verbose' } },
  { execArgv: ['--require', join(REPO, 'test', 'lsp', 'noNetwork.cjs')] },
);
after(() => client.dispose());

const PEM = `-----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7${MARKER}MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw\n    -----END PRIVATE KEY-----`;
const SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata: {name: creds, namespace: apps}',
  'stringData:',
  `  clientSecret: ${MARKER}-secret-value`,
  `  accountKey: ${MARKER}-account-key`,
  '  clientCertificate: |',
  `    ${PEM}`,
  '  sops.azure-kv: |',
  '    tenantId: 11111111-2222-3333-4444-555555555555',
  '    clientId: 11111111-2222-3333-4444-555555555555',
  `    clientSecret: ${MARKER}-nested`,
  `    clientCertificateSendChain: "true"`,
  '',
].join('\n');

test('no secret value reaches logs, diagnostics, hovers or code actions; no network socket', async () => {
  await client.initialize(EXAMPLES);
  const uri = fileUri(join(EXAMPLES, 'secret-probe.yaml'));
  client.open(uri, SECRET);
  const diags = await client.waitForDiagnostics(uri, (d) =>
    d.some((x) => x.code === 'flux-azure/plaintext-private-key'),
  );
  assert.ok(diags.some((d) => d.code === 'flux-azure/plaintext-client-secret'));
  const seen: string[] = [JSON.stringify(diags)];
  for (const needle of ['clientSecret', 'accountKey', MARKER, 'sops.azure-kv', 'clientCertificateSendChain']) {
    const hover = await client.hover(uri, positionOf(SECRET, needle, 1));
    if (hover) seen.push((hover.contents as MarkupContent).value);
  }
  for (const d of diags) seen.push(JSON.stringify(await client.codeActions(uri, d.range, [d])));
  // Also the example workspace's real Secrets, with the index and every rule over them.
  const bucket = join(EXAMPLES, 'infrastructure', 'storage', 'staging', 'terraform-outputs.yaml');
  client.open(fileUri(bucket), readFileSync(bucket, 'utf8'));
  await client.waitForDiagnostics(fileUri(bucket));
  await client.dispose();
  seen.push(...client.logs, client.stderr);
  for (const text of seen) assert.ok(!text.includes(MARKER), `a secret value leaked: ${text.slice(0, 200)}`);
  assert.doesNotMatch(client.stderr, /NETWORK-ATTEMPT/);
});
