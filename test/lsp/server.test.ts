import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Diagnostic, MarkupContent, Range, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdit, EXAMPLES, examplesServer, fileUri, positionOf, readExample } from './lspClient';

const { client, ready } = examplesServer();

test('initialize advertises hover, completion and quick fixes', async () => {
  const result = await ready;
  assert.equal(result.capabilities.hoverProvider, true);
  assert.ok(result.capabilities.completionProvider);
  assert.ok(result.capabilities.codeActionProvider);
});

test('a correct manifest gets diagnostics published, with no error or warning', async () => {
  await ready;
  const { uri, text } = readExample('apps/base/podinfo/source.yaml');
  client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri);
  assert.deepEqual(
    diags.filter((d) => d.severity! <= 2),
    [],
  );
  const plain = fileUri(join(EXAMPLES, 'plain.yaml'));
  client.open(plain, 'replicas: 3\nimage: nginx\n');
  assert.deepEqual(await client.waitForDiagnostics(plain), [], 'an empty list for YAML we do not judge');
});

test('hover on spec.provider of an OCIRepository explains the role and the controller', async () => {
  await ready;
  const { uri, text } = readExample('apps/base/podinfo/source.yaml');
  client.open(uri, text);
  const hover = await client.hover(uri, positionOf(text, 'provider: azure', 2));
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /AcrPull/);
  assert.match(value, /7f951dda-4ed3-4680-a7ca-43fe172d538d/);
  assert.match(value, /source-controller/);
});

test('hover on serviceAccountName shows the resolved client and tenant ids', async () => {
  await ready;
  const { uri, text } = readExample('apps/base/podinfo/source.yaml');
  client.open(uri, text);
  const hover = await client.hover(uri, positionOf(text, 'serviceAccountName:', 3));
  assert.match((hover?.contents as MarkupContent).value, /2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81/);
});

test('cross-file diagnostic (gate missing) carries related information and its fix edits the other file', async () => {
  await ready;
  const { uri, text } = readExample('apps/production/image-automation.yaml');
  client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'flux-azure/gate-missing'));
  const gate = diags.find((d) => d.code === 'flux-azure/gate-missing')!;
  assert.match(gate.relatedInformation![0].location.uri, /clusters\/production\/flux-system\/kustomization\.yaml$/);
  const actions = await client.codeActions(uri, gate.range, [gate]);
  const fix = actions.find((a) => a.title.startsWith('Enable ObjectLevelWorkloadIdentity'));
  assert.ok(fix?.edit, 'a fix that edits the flux-system kustomization');
  const kustom = readExample('clusters/production/flux-system/kustomization.yaml');
  const fixed = applyEdit(kustom.text, fix.edit!, kustom.uri);
  assert.match(fixed, /image-reflector-controller/);
  // Opening the fixed kustomization makes the diagnostic go away in the other file.
  client.open(kustom.uri, fixed);
  await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'flux-azure/gate-missing'));
  client.close(kustom.uri);
});

/** Opens a file, applies the preferred quick fix of `code`, and checks the diagnostic is gone afterwards. */
async function fixAndRecheck(rel: string, code: string): Promise<string> {
  const { uri, text } = readExample(rel);
  client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === code));
  const target = diags.find((d) => d.code === code) as Diagnostic;
  const actions = await client.codeActions(uri, target.range, [target]);
  const fix = actions.find((a) => a.isPreferred) ?? actions[0];
  assert.ok(fix?.edit, `${code} offers a fix`);
  const fixed = applyEdit(text, fix.edit!, uri);
  client.change(uri, fixed);
  await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === code));
  return fixed;
}

test('quick fix: quote the workload-identity label inside a patch block scalar', async () => {
  await ready;
  const fixed = await fixAndRecheck(
    'clusters/staging/flux-system/kustomization.yaml',
    'flux-azure/wi-use-label-not-string',
  );
  assert.match(fixed, /azure\.workload\.identity\/use: "true"/);
});

test('quick fix: quote clientCertificateSendChain in a Bucket Secret', async () => {
  await ready;
  const fixed = await fixAndRecheck(
    'infrastructure/storage/staging/terraform-outputs.yaml',
    'flux-azure/send-chain-quoting',
  );
  assert.match(fixed, /clientCertificateSendChain: "true"/);
});

test('quick fix: rewrite an SSH Azure DevOps URL to HTTPS', async () => {
  await ready;
  const fixed = await fixAndRecheck('infrastructure/sources/platform-policies.yaml', 'flux-azure/ado-url-format');
  assert.match(fixed, /url: https:\/\/dev\.azure\.com\//);
});

test('quick fix: add the missing tenant-id annotation to the ServiceAccount', async () => {
  await ready;
  const { uri, text } = readExample('apps/staging/canary.yaml');
  client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri, (d) =>
    d.some((x) => x.code === 'flux-azure/sa-missing-annotations'),
  );
  const target = diags.find((d) => d.code === 'flux-azure/sa-missing-annotations')!;
  const actions = await client.codeActions(uri, target.range, [target]);
  const fix = actions.find((a) => a.isPreferred)!;
  const fixed = applyEdit(text, fix.edit!, uri);
  assert.match(fixed, /azure\.workload\.identity\/tenant-id: "[0-9a-f-]{36}"/);
  client.change(uri, fixed);
  await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'flux-azure/sa-missing-annotations'));
});

test('every diagnostic offers at least the suppression fix, and stale versions are refused by version', async () => {
  await ready;
  const { uri, text } = readExample('apps/staging/canary.yaml');
  client.open(uri, text, 7);
  const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0);
  for (const d of diags) {
    const actions = await client.codeActions(uri, d.range, [d]);
    const suppress = actions.find((a) => a.title.startsWith('Disable'));
    assert.ok(suppress, `${d.code} can be suppressed`);
    const change = suppress!.edit!.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(change.textDocument.version, 7);
  }
});

test('broken YAML and binary content do not crash the server', async () => {
  await ready;
  const uri = fileUri(join(EXAMPLES, 'broken.yaml'));
  client.open(uri, 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec: [\n  provider: azure\n: : :\n');
  assert.deepEqual(await client.waitForDiagnostics(uri), []);
  const bin = fileUri(join(EXAMPLES, 'binary.yaml'));
  client.open(bin, 'kind: Secret\u0000\u0001\u0002');
  assert.deepEqual(
    (await client.waitForDiagnostics(bin)).map((d) => d.code),
    ['flux-azure/file-not-analysed'],
  );
  // The server is still alive: a hover in the broken file answers (null or text), and a good file still works.
  await client.hover(uri, { line: 3, character: 4 });
  const { uri: good, text } = readExample('apps/base/podinfo/source.yaml');
  client.open(good, text);
  const hover = await client.hover(good, positionOf(text, 'provider: azure', 2));
  assert.match((hover?.contents as MarkupContent).value, /AcrPull/);
});

test('quick fixes asked for a diagnostic of an older text that no longer fits the document edit nothing outside it', async () => {
  await ready;
  const { uri, text } = readExample('infrastructure/storage/staging/terraform-outputs.yaml');
  client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'flux-azure/send-chain-quoting'));
  const old = diags.find((d) => d.code === 'flux-azure/send-chain-quoting')!;
  // The line shortened before the editor asks: the old diagnostic's range ends past it.
  const lines = text.split('\n');
  lines[old.range.end.line] = 'x: 1';
  const shorter = lines.join('\n');
  client.change(uri, shorter);
  const actions = await client.codeActions(uri, old.range, [old]);
  const inside = (r: Range) => r.end.line < lines.length && r.end.character <= lines[r.end.line]!.length;
  for (const a of actions) {
    const edits = [
      ...(a.edit?.changes?.[uri] ?? []),
      ...(a.edit?.documentChanges ?? []).flatMap((c) =>
        'textDocument' in c && c.textDocument.uri === uri ? (c.edits as TextEdit[]) : [],
      ),
    ];
    for (const e of edits) assert.ok(inside(e.range), `${a.title}: ${JSON.stringify(e.range)}`);
  }
  client.close(uri);
});
