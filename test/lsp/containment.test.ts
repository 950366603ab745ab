// Crash containment: a feature that throws costs one logged error and an empty answer, never the server. The faults
// are injected into the real server over stdio with FLUX_AZURE_TEST_THROW (server/src/testFaults.ts); a second
// server without it answers the same requests, so each empty answer is one a user would notice.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { RenderedObjectRequest, type RenderedObjectResult } from '../../shared/src/protocol';
import { fileUri, LspClient, positionOf, REPO } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'flux-azure-containment-'));
cpSync(join(REPO, 'test', 'fixtures', 'fleet'), root, { recursive: true });
const PROBE = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
  namespace: apps
spec:
  interval: 5m
  url: oci://myregistry.azurecr.io/app
  ref:
    tag: latest
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: acr
  namespace: apps
  annotations:
    azure.workload.identity/client-id: not-a-guid
`;
writeFileSync(join(root, 'probe.yaml'), PROBE);
const probe = fileUri(join(root, 'probe.yaml'));
const sourceRel = 'apps/base/podinfo/source.yaml';
const source = { uri: fileUri(join(root, sourceRel)), text: readFileSync(join(root, sourceRel), 'utf8') };

const BROKEN = ['hover', 'completion', 'codeAction', 'definition', 'references', 'renderedObject', 'render'];
const healthy = new LspClient();
const broken = new LspClient(
  {},
  { env: { FLUX_AZURE_TEST_THROW: [...BROKEN, 'rule:sa-annotation-values'].join(',') } },
);
const ready = Promise.all(
  [healthy, broken].map(async (client) => {
    await client.initialize(root);
    client.open(probe, PROBE);
    client.open(source.uri, source.text);
    await client.waitForDiagnostics(source.uri);
  }),
);
after(async () => {
  await Promise.all([healthy.dispose(), broken.dispose()]);
  rmSync(root, { recursive: true, force: true });
});

const codes = (d: Diagnostic[]) => d.map((x) => String(x.code)).sort();

/** Each request a user makes, at a place where the healthy server has an answer. */
const REQUESTS: Record<string, (client: LspClient) => Promise<unknown>> = {
  hover: (c) => c.hover(source.uri, positionOf(source.text, 'serviceAccountName', 2)),
  completion: (c) => c.completion(source.uri, positionOf(source.text, 'podinfo-acr', 2)),
  codeAction: async (c) => {
    const d = await c.waitForDiagnostics(probe);
    return c.codeActions(probe, d[0]!.range, d);
  },
  definition: (c) =>
    c.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: source.uri },
      position: positionOf(source.text, 'podinfo-acr', 2),
    }),
  references: (c) =>
    c.connection.sendRequest('textDocument/references', {
      textDocument: { uri: source.uri },
      position: positionOf(source.text, 'podinfo-acr', 2),
      context: { includeDeclaration: true },
    }),
  renderedObject: async (c) =>
    (
      (await c.connection.sendRequest(RenderedObjectRequest.method, {
        uri: source.uri,
        position: positionOf(source.text, 'kind'),
      })) as RenderedObjectResult
    ).objects,
};
const EMPTY: Record<string, unknown> = {
  hover: null,
  completion: [],
  codeAction: [],
  definition: [],
  references: [],
  renderedObject: [],
};

for (const [name, send] of Object.entries(REQUESTS)) {
  test(`${name} that throws: one logged error, an empty answer, and the server goes on serving`, async () => {
    await ready;
    const answer = await send(healthy);
    assert.notDeepEqual(answer, EMPTY[name], `the healthy server has an answer for ${name}`);
    const errorsBefore = broken.errors.filter((e) => e.startsWith(`${name} failed`)).length;
    assert.deepEqual(await send(broken), EMPTY[name]);
    const logged = broken.errors.filter((e) => e.startsWith(`${name} failed`));
    assert.equal(logged.length - errorsBefore, 1);
    assert.match(logged.at(-1)!, /injected fault/);
    // Still alive: an edit gets its diagnostics.
    broken.change(probe, `${PROBE}# edited after ${name}\n`);
    await broken.waitForDiagnostics(probe);
  });
}

test('a rule that throws: its findings are missing, the other rules still report, the failure is logged', async () => {
  await ready;
  assert.deepEqual(codes(await healthy.waitForDiagnostics(probe)), [
    'flux-azure/provider-azure-missing',
    'flux-azure/sa-annotation-not-guid',
  ]);
  assert.deepEqual(codes(await broken.waitForDiagnostics(probe)), ['flux-azure/provider-azure-missing']);
  assert.ok(broken.errors.some((e) => /^rule sa-annotation-values failed: .*injected fault/.test(e)));
});

test('a cluster whose rendering throws is logged as an error and judged without its rendering', async () => {
  await ready;
  const failures = broken.errors.filter((e) => e.startsWith('could not render'));
  assert.ok(failures.some((e) => /clusters\/prod: injected fault/.test(e)));
  // Once per cluster, not once per question: the failed rendering is kept until its inputs change.
  assert.equal(failures.length, new Set(failures).size);
  // The diagnostics of the fleet's files still come (the OCIRepository is judged without what Flux applies).
  broken.change(source.uri, `${source.text}# edited\n`);
  await broken.waitForDiagnostics(source.uri);
});
