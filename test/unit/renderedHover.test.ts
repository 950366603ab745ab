// Hovers on a value Flux applies differently from what the file says: the rendered value and where it came from,
// per cluster, over the fixture fleet (test/fixtures/fleet: bases, per-cluster overlays, components, selector
// patches, postBuild from ConfigMaps and from a Secret the repository does not hold).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hoverAt, hoverText, indexFolder, type Workspace } from './editor';

const FLEET = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fleet');
let fleet: Promise<Workspace> | undefined;
const ws = () => (fleet ??= indexFolder(FLEET));
const read = (rel: string) => readFileSync(join(FLEET, rel), 'utf8');

async function hover(rel: string, needle: string, delta = 1, text = read(rel)): Promise<string> {
  return hoverText(hoverAt(await ws(), rel, text, needle, delta));
}

test('a substituted client id shows its value per cluster, from the ConfigMap line; unknown where the Secret is outside the repo', async () => {
  const text = await hover('apps/base/podinfo/serviceaccount.yaml', '${AZURE_CLIENT_ID}', 3);
  assert.match(text, /\*\*As Flux applies it\*\*/);
  assert.match(
    text,
    /`2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81`: `\$\{AZURE_CLIENT_ID\}` substituted by postBuild, from clusters\/prod\/cluster-vars\.yaml:7 \(from ConfigMap cluster-vars\) \(clusters\/prod, Kustomization apps\)/,
  );
  assert.match(
    text,
    /not known from the repository: \$\{AZURE_CLIENT_ID\} comes from Secret cluster-identity \(not in the repository\).*\(clusters\/staging, Kustomization apps\)/,
  );
  // The annotation's own hover still comes first.
  assert.ok(text.indexOf('azure.workload.identity/client-id') < text.indexOf('As Flux applies it'), text);
});

test('a value a patch overrides in one overlay names the patch line and only that cluster', async () => {
  const text = await hover('apps/base/podinfo/image-repository.yaml', 'interval: 5m', 11);
  assert.match(
    text,
    /`1m`: set by a kustomize patch at apps\/prod\/scan-often\.yaml:6 \(patch in apps\/prod\/kustomization\.yaml\) \(clusters\/prod, Kustomization apps\)/,
  );
  assert.doesNotMatch(text, /clusters\/staging/);
});

test('a value with a variable shows what each cluster substitutes', async () => {
  const text = await hover('apps/base/podinfo/source.yaml', 'url: oci', 6);
  assert.match(
    text,
    /`oci:\/\/fleetprod\.azurecr\.io\/charts\/podinfo`: `oci:\/\/\$\{ACR_NAME\}\.azurecr\.io\/charts\/podinfo` substituted by postBuild \(clusters\/prod, Kustomization apps\)/,
  );
  assert.match(text, /`oci:\/\/fleetstaging\.azurecr\.io\/charts\/podinfo`.*\(clusters\/staging, Kustomization apps\)/);
});

test('a value every cluster applies as written gets no rendered section', async () => {
  const text = await hover('apps/base/podinfo/source.yaml', 'serviceAccountName: podinfo-acr', 22);
  assert.ok(text.length > 0);
  assert.doesNotMatch(text, /As Flux applies it/);
});

test('an edit in the open document that the rendering does not apply is judged from the edited text', async () => {
  const edited = read('apps/base/podinfo/image-repository.yaml').replace('interval: 5m', 'interval: 7m');
  const text = await hover('apps/base/podinfo/image-repository.yaml', 'interval: 7m', 11, edited);
  assert.match(text, /`1m`: set by a kustomize patch/);
});
