// An edit re-judges only what it renders into: after a change to an overlay's patch, the findings of the files whose
// objects that patch changes are judged again (and are right), while those of files it does not touch still hold.
// Over a copy of the fixture fleet (test/fixtures/fleet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { FindingsBasis } from '../../server/src/features/diagnostics';
import { pathToUri } from '../../server/src/workspace/files';
import { indexFolder, type Workspace } from './editor';

const FLEET = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fleet');

function judge(ws: Workspace, rel: string): { diagnostics: Diagnostic[]; basis: FindingsBasis } {
  const steps = ws.service.closedFileFindingsSteps(pathToUri(join(ws.root, rel)));
  for (;;) {
    const step = steps.next();
    if (step.done) {
      assert.ok(step.value, `${rel} is judged`);
      return step.value;
    }
  }
}

function drain(steps: Generator<void, Diagnostic[], void>): Diagnostic[] {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

async function copyOfFleet(): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), 'flux-azure-stamps-'));
  cpSync(FLEET, root, { recursive: true });
  return indexFolder(root);
}

const IMAGE_REPO = 'apps/base/podinfo/image-repository.yaml';
const OCI_REPO = 'apps/base/podinfo/source.yaml';
const SERVICE_ACCOUNT = 'apps/base/podinfo/serviceaccount.yaml';

test('editing a patch invalidates the findings of the objects it renders into, and only those', async () => {
  const ws = await copyOfFleet();
  const before = Object.fromEntries([IMAGE_REPO, OCI_REPO, SERVICE_ACCOUNT].map((rel) => [rel, judge(ws, rel)]));
  assert.deepEqual(
    before[IMAGE_REPO].diagnostics.map((d) => d.code),
    [],
    'the ImageRepository gets provider: azure in every cluster',
  );

  // The prod overlay's ImageRepository patch now sets a provider that does not log in to ACR.
  const patch = pathToUri(join(ws.root, 'apps/prod/scan-often.yaml'));
  const text = readFileSync(join(ws.root, 'apps/prod/scan-often.yaml'), 'utf8');
  ws.service.open(patch, 'yaml', 1, text.replace('interval: 1m', 'interval: 1m\n  provider: generic'));
  drain(ws.service.diagnosticsSteps(patch));

  assert.equal(ws.service.findingsHold(before[IMAGE_REPO].basis), false, 'the patched ImageRepository is judged again');
  assert.equal(ws.service.findingsHold(before[OCI_REPO].basis), true, 'the OCIRepository is not touched by the patch');
  assert.equal(ws.service.findingsHold(before[SERVICE_ACCOUNT].basis), true, 'nor is the ServiceAccount');

  const after = judge(ws, IMAGE_REPO);
  const missing = after.diagnostics.filter((d) => d.code === 'flux-azure/provider-azure-missing');
  assert.equal(missing.length, 1, JSON.stringify(after.diagnostics));
  assert.match(missing[0].message, /clusters\/prod/);
  assert.doesNotMatch(missing[0].message, /clusters\/staging/);

  // And back: the finding goes, again without touching the others.
  const stillOci = judge(ws, OCI_REPO).basis;
  ws.service.change(patch, 2, [{ text }]);
  drain(ws.service.diagnosticsSteps(patch));
  assert.equal(ws.service.findingsHold(after.basis), false);
  assert.equal(ws.service.findingsHold(stillOci), true);
  assert.deepEqual(
    judge(ws, IMAGE_REPO).diagnostics.map((d) => d.code),
    [],
  );
});

test('an edit that changes what a cluster-wide view holds (the gate on a controller) invalidates every reader', async () => {
  const ws = await copyOfFleet();
  const rel = 'components/workload-identity/kustomization.yaml';
  const before = judge(ws, OCI_REPO);
  assert.ok(!before.diagnostics.some((d) => d.code === 'flux-azure/gate-missing'));
  const uri = pathToUri(join(ws.root, rel));
  const text = readFileSync(join(ws.root, rel), 'utf8');
  ws.service.open(
    uri,
    'yaml',
    1,
    text.replace('ObjectLevelWorkloadIdentity=true', 'ObjectLevelWorkloadIdentity=false'),
  );
  drain(ws.service.diagnosticsSteps(uri));
  assert.equal(ws.service.findingsHold(before.basis), false);
  assert.ok(judge(ws, OCI_REPO).diagnostics.some((d) => d.code === 'flux-azure/gate-missing'));
});
