// The fixture fleet (test/fixtures/fleet) through the real server over stdio: what Flux applies is what is judged,
// and an edit to a patch, a component, a ConfigMap or a cluster's flux-system kustomization re-judges the open
// files it renders into.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { RenderedObjectRequest, type RenderedObjectResult } from '../../shared/src/protocol';
import { fileUri, LspClient, positionOf, REPO } from './lspClient';

const FLEET = join(REPO, 'test', 'fixtures', 'fleet');
const client = new LspClient();
const ready = client.initialize(FLEET);
after(() => client.dispose());

function file(rel: string): { uri: string; text: string } {
  return { uri: fileUri(join(FLEET, rel)), text: readFileSync(join(FLEET, rel), 'utf8') };
}

const IMAGE_REPO = file('apps/base/podinfo/image-repository.yaml');
const SOURCE = file('apps/base/podinfo/source.yaml');
const SERVICE_ACCOUNT = file('apps/base/podinfo/serviceaccount.yaml');
const ACR_COMPONENT = file('components/acr/kustomization.yaml');
const PROD_VARS = file('clusters/prod/cluster-vars.yaml');
const STAGING_FLUX = file('clusters/staging/flux-system/kustomization.yaml');

const serious = (d: Diagnostic[]) => d.filter((x) => x.severity === 1 || x.severity === 2);
const codes = (d: Diagnostic[]) => serious(d).map((x) => String(x.code));

/** Opens a file once; later calls change its text (the editor keeps it open). */
const opened = new Set<string>();
function edit(f: { uri: string }, text: string): void {
  if (opened.has(f.uri)) client.change(f.uri, text);
  else {
    opened.add(f.uri);
    client.open(f.uri, text);
  }
}

test('the fleet as written is clean: provider, gate and client id all come from patches, components and postBuild', async () => {
  await ready;
  for (const f of [IMAGE_REPO, SOURCE]) {
    edit(f, f.text);
    assert.deepEqual(codes(await client.waitForDiagnostics(f.uri)), [], f.uri);
  }
});

test('editing the selector of a component patch re-judges the open ImageRepository it no longer reaches', async () => {
  await ready;
  edit(IMAGE_REPO, IMAGE_REPO.text);
  await client.waitForDiagnostics(IMAGE_REPO.uri);
  edit(ACR_COMPONENT, ACR_COMPONENT.text.replace('registry=acr', 'registry=ghcr'));
  const found = await client.waitForDiagnostics(IMAGE_REPO.uri, (d) => codes(d).length > 0);
  assert.deepEqual(codes(found), ['flux-azure/provider-azure-missing']);
  edit(ACR_COMPONENT, ACR_COMPONENT.text);
  await client.waitForDiagnostics(IMAGE_REPO.uri, (d) => codes(d).length === 0);
});

test('a client id substituted from the cluster ConfigMap is judged after substitution, with the ConfigMap related', async () => {
  await ready;
  edit(SOURCE, SOURCE.text);
  edit(PROD_VARS, PROD_VARS.text.replace(/AZURE_CLIENT_ID: .*/, 'AZURE_CLIENT_ID: podinfo-identity'));
  const found = await client.waitForDiagnostics(SOURCE.uri, (d) =>
    codes(d).includes('flux-azure/sa-annotation-not-guid'),
  );
  const d = found.find((x) => x.code === 'flux-azure/sa-annotation-not-guid')!;
  assert.match(d.message, /clusters\/prod/);
  assert.match(d.message, /'podinfo-identity'/);
  assert.ok(
    d.relatedInformation?.some((r) => r.location.uri === PROD_VARS.uri),
    JSON.stringify(d.relatedInformation),
  );
  // Also where the annotation is written.
  edit(SERVICE_ACCOUNT, SERVICE_ACCOUNT.text);
  const onSa = await client.waitForDiagnostics(SERVICE_ACCOUNT.uri, (d) => codes(d).length > 0);
  assert.equal(
    onSa[0].range.start.line,
    SERVICE_ACCOUNT.text.split('\n').findIndex((l) => l.includes('client-id')),
  );
  assert.ok(onSa[0].relatedInformation?.some((r) => r.location.uri === PROD_VARS.uri));
  edit(PROD_VARS, PROD_VARS.text);
  await client.waitForDiagnostics(SOURCE.uri, (d) => codes(d).length === 0);
  await client.waitForDiagnostics(SERVICE_ACCOUNT.uri, (d) => codes(d).length === 0);
});

test("dropping the gate component from one cluster's flux-system reports the gate for that cluster only", async () => {
  await ready;
  edit(SOURCE, SOURCE.text);
  edit(STAGING_FLUX, STAGING_FLUX.text.replace(/components:\n.*\n/, ''));
  const found = await client.waitForDiagnostics(SOURCE.uri, (d) => codes(d).includes('flux-azure/gate-missing'));
  const gate = serious(found).filter((x) => x.code === 'flux-azure/gate-missing');
  assert.equal(gate.length, 1, JSON.stringify(gate));
  assert.match(gate[0].message, /clusters\/staging/);
  assert.doesNotMatch(gate[0].message, /clusters\/prod/);
  edit(STAGING_FLUX, STAGING_FLUX.text);
  await client.waitForDiagnostics(SOURCE.uri, (d) => codes(d).length === 0);
});

test('hover on a value an overlay patches names the rendered value and the patch line', async () => {
  await ready;
  edit(IMAGE_REPO, IMAGE_REPO.text);
  const hover = await client.hover(IMAGE_REPO.uri, positionOf(IMAGE_REPO.text, 'interval: 5m', 11));
  const text = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  assert.match(text, /`1m`: set by a kustomize patch at apps\/prod\/scan-often\.yaml:6/);
});

test('Show Rendered Object asked right after an edit: its origins are the places in the edited text', async () => {
  await ready;
  edit(SOURCE, SOURCE.text);
  await client.waitForDiagnostics(SOURCE.uri);
  // Two lines more on top; asked at once, before the edit's diagnostics have run (they index the new text).
  const moved = `# moved\n# down\n${SOURCE.text}`;
  edit(SOURCE, moved);
  const result = (await client.connection.sendRequest(RenderedObjectRequest.method, {
    uri: SOURCE.uri,
    position: positionOf(moved, 'kind'),
  })) as RenderedObjectResult;
  const object = result.objects[0]!;
  const url = object.origins.find((o) => object.text.split('\n')[o.range.start.line]!.includes('url:'));
  assert.equal(url?.from.uri, SOURCE.uri);
  assert.equal(url?.from.range.start.line, positionOf(moved, 'url:').line);
  edit(SOURCE, SOURCE.text);
  await client.waitForDiagnostics(SOURCE.uri);
});
