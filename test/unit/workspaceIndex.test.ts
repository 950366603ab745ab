import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import { writeTree } from './fixtures';

const repo = (files: Record<string, string>): string => writeTree(files, 'flux-azure-index-');

const SYNC = (path: string) =>
  [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: apps',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    `  path: ${path}`,
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    '',
  ].join('\n');
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

test('a directory without kustomization.yaml takes nested kustomizations whole, as kustomize-controller does', async () => {
  const root = repo({
    'clusters/prod/flux-system/gotk-components.yaml': '# Flux Version: v2.7.0\n' + CM,
    'clusters/prod/flux-system/gotk-sync.yaml': SYNC('./apps'),
    'apps/loose.yaml': CM,
    'apps/team-a/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - listed.yaml\n',
    'apps/team-a/listed.yaml': CM,
    'apps/team-a/extra/unlisted.yaml': CM,
    'other/elsewhere.yaml': CM,
  });
  const index = new WorkspaceIndex();
  index.setRoots([root]);
  await index.scan();
  const [prod] = index.clusters();
  assert.equal(prod.label, join('clusters', 'prod'));
  assert.equal(prod.fluxVersion?.version, '2.7');
  const applied = [...prod.files].map((f) => relative(root, f).split('\\').join('/')).sort();
  assert.deepEqual(
    applied.filter((f) => f.startsWith('apps/')),
    ['apps/loose.yaml', 'apps/team-a/kustomization.yaml', 'apps/team-a/listed.yaml'],
  );
  assert.ok(!applied.includes('other/elsewhere.yaml'));
});
