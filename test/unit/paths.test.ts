// Where a Flux Kustomization's `spec.path` points, on every platform: a SOPS file or a manifest must find the
// Kustomization that applies it with Windows paths too, and a leading `/` stays below the repository root.
import { strict as assert } from 'node:assert';
import { posix, win32, relative } from 'node:path';
import { test } from 'node:test';
import { fluxPathDir, isInsideDir } from '../../server/src/workspace/files';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import { writeTree } from './fixtures';

test('spec.path resolves below the repository root with the platform separators', () => {
  assert.equal(fluxPathDir('C:\\fleet', './apps/prod', win32), 'C:\\fleet\\apps\\prod');
  assert.equal(fluxPathDir('/fleet', './apps/prod', posix), '/fleet/apps/prod');
  // kustomize-controller joins the path below the source root: a leading slash does not leave it
  assert.equal(fluxPathDir('/fleet', '/apps/prod', posix), '/fleet/apps/prod');
  assert.equal(fluxPathDir('C:\\fleet', '/apps/prod', win32), 'C:\\fleet\\apps\\prod');
});

test('a file is inside the directory of its Kustomization on Windows too, and a sibling with a longer name is not', () => {
  // With `${dir}/` prefixes (the old code), no Windows path was ever inside its Kustomization's directory.
  assert.ok(isInsideDir('C:\\fleet\\apps\\prod', 'C:\\fleet\\apps\\prod\\secrets\\db.enc.yaml', win32));
  assert.ok(isInsideDir('/fleet/apps/prod', '/fleet/apps/prod/secrets/db.enc.yaml', posix));
  assert.ok(!isInsideDir('/fleet/apps/prod', '/fleet/apps/prod-eu/db.enc.yaml', posix));
  assert.ok(!isInsideDir('C:\\fleet\\apps\\prod', 'C:\\fleet\\apps\\prod-eu\\db.enc.yaml', win32));
});

test('a Flux Kustomization path with a leading slash applies the files below the repository root', async () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
  const root = writeTree(
    {
      'clusters/prod/flux-system/gotk-components.yaml': '# Flux Version: v2.7.0\n' + cm,
      'clusters/prod/apps.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:',
        '  name: apps',
        '  namespace: flux-system',
        'spec:',
        '  interval: 10m',
        '  path: /apps/prod',
        '  sourceRef:',
        '    kind: GitRepository',
        '    name: flux-system',
        '',
      ].join('\n'),
      'apps/prod/app.yaml': cm,
    },
    'flux-azure-paths-',
  );
  const index = new WorkspaceIndex();
  index.setRoots([root]);
  await index.scan();
  const [prod] = index.clusters();
  const applied = [...prod.files].map((f) => relative(root, f).split('\\').join('/'));
  assert.ok(applied.includes('apps/prod/app.yaml'), `applied: ${applied.join(', ')}`);
});
