import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TextDocumentEdit } from 'vscode-languageserver-protocol';
import { DEFAULT_SETTINGS, PatchCommands, type PatchCommandArgs } from '../../shared/src/protocol';
import { parseManifest } from '../../server/src/document/manifest';
import {
  providePatchCodeActions,
  providePatchContext,
  providePatchEdit,
  type FileLoader,
} from '../../server/src/features/patchContext';
import { applyTextEdits } from '../../server/src/features/patchEdits';
import { pathToUri, uriToPath } from '../../server/src/workspace/files';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import { COMPONENTS, FLUX_INSTANCE_LINES, ociRepository, writeTree } from './fixtures';

const KUSTOMIZATION =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n';
const OCI_WITH_SA = [
  ociRepository('---'),
  'apiVersion: image.toolkit.fluxcd.io/v1',
  'kind: ImageRepository',
  'metadata:',
  '  name: app',
  '  namespace: apps',
  'spec:',
  '  image: contoso.azurecr.io/app',
  '  interval: 5m',
  '  provider: azure',
  '',
].join('\n');

/** A repository in a temp folder, indexed as the server does. */
async function repo(files: Record<string, string>) {
  const root = writeTree(files, 'flux-azure-patch-');
  const index = new WorkspaceIndex();
  index.setRoots([root]);
  await index.scan();
  const ctx = { index, settings: DEFAULT_SETTINGS };
  const load: FileLoader = (uri) => {
    try {
      return parseManifest(uri, 0, readFileSync(uriToPath(uri)!, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const uri = (path: string) => pathToUri(join(root, path));
  return { root, ctx, load, uri, file: (path: string) => load(uri(path))! };
}

/** The cluster `prod`: Flux bootstrapped with a kustomization.yaml, and an OCIRepository and ImageRepository on ACR. */
const prod = () =>
  repo({
    'clusters/prod/flux-system/gotk-components.yaml': COMPONENTS,
    'clusters/prod/flux-system/kustomization.yaml': KUSTOMIZATION,
    'clusters/prod/apps.yaml': OCI_WITH_SA,
  });

const AT = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

test('a flux-system kustomization.yaml offers every action of its Flux version, with the needed controllers picked', async () => {
  const r = await prod();
  const file = r.file('clusters/prod/flux-system/kustomization.yaml');
  const actions = providePatchCodeActions(file, AT, r.ctx);
  assert.deepEqual(
    actions.map((a) => a.command?.command),
    [
      PatchCommands.aksWorkloadIdentity,
      PatchCommands.nonAksWorkloadIdentity,
      PatchCommands.appCertificate,
      PatchCommands.objectLevelWorkloadIdentity,
      PatchCommands.lockdown,
    ],
  );
  assert.ok(actions.every((a) => a.kind === 'refactor.rewrite'));
  const context = providePatchContext({ uri: file.uri }, file, r.ctx, r.load);
  assert.equal(context.fluxVersion, '2.7');
  assert.equal(context.target?.mode, 'kustomization');
  const picked = (id: string) =>
    context.actions
      .find((a) => a.id === id)!
      .controllers.filter((c) => c.picked)
      .map((c) => c.id);
  assert.deepEqual(picked('objectLevelWorkloadIdentity'), ['source-controller'], 'the OCIRepository uses its own SA');
  assert.deepEqual(
    picked('aksWorkloadIdentity'),
    ['image-reflector-controller'],
    'the ImageRepository needs an identity',
  );
  assert.ok(
    !context.actions
      .find((a) => a.id === 'appCertificate')!
      .controllers.some((c) => c.id === 'image-reflector-controller'),
    'no application certificate for the ACR-only controller',
  );
  assert.equal(new RegExp(context.validation.guid).test('11111111-2222-3333-4444-555555555555'), true);
});

test('a Flux object offers the controller change it needs, and the edit goes to its cluster', async () => {
  const r = await prod();
  const file = r.file('clusters/prod/apps.yaml');
  const onOci = providePatchCodeActions(
    file,
    { start: { line: 9, character: 4 }, end: { line: 9, character: 4 } },
    r.ctx,
  );
  assert.deepEqual(
    onOci.map((a) => [a.command?.command, (a.command?.arguments?.[0] as PatchCommandArgs).preselect]),
    [[PatchCommands.objectLevelWorkloadIdentity, ['source-controller']]],
  );
  const onImageRepository = providePatchCodeActions(
    file,
    { start: { line: 16, character: 2 }, end: { line: 16, character: 2 } },
    r.ctx,
  );
  assert.deepEqual(
    onImageRepository.map((a) => a.command?.command),
    [PatchCommands.aksWorkloadIdentity, PatchCommands.nonAksWorkloadIdentity],
    'no application certificate for ACR',
  );
  const result = providePatchEdit(
    { uri: file.uri, action: 'objectLevelWorkloadIdentity', controllers: ['source-controller'] },
    file,
    r.ctx,
    r.load,
  );
  assert.equal(result.error, undefined);
  assert.equal(result.uri, r.uri('clusters/prod/flux-system/kustomization.yaml'));
  const change = result.edit!.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.uri, result.uri);
  const target = r.file('clusters/prod/flux-system/kustomization.yaml');
  const text = applyTextEdits(target.text, change.edits, target.lines);
  assert.match(text, /--feature-gates=ObjectLevelWorkloadIdentity=true/);
});

test('gotk-components.yaml without a kustomization.yaml: the edit creates one listing the bootstrap files', async () => {
  const r = await repo({
    'clusters/dev/flux-system/gotk-components.yaml': COMPONENTS,
    'clusters/dev/flux-system/gotk-sync.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n',
  });
  const file = r.file('clusters/dev/flux-system/gotk-components.yaml');
  const context = providePatchContext({ uri: file.uri }, file, r.ctx, r.load);
  assert.equal(context.target?.mode, 'create');
  const result = providePatchEdit(
    {
      uri: file.uri,
      action: 'aksWorkloadIdentity',
      controllers: ['source-controller'],
      clientId: '11111111-2222-3333-4444-555555555555',
      tenantId: '66666666-7777-8888-9999-000000000000',
    },
    file,
    r.ctx,
    r.load,
  );
  const changes = (result.edit as { documentChanges: ({ kind: string } | { edits: { newText: string }[] })[] })
    .documentChanges;
  assert.equal((changes[0] as { kind: string }).kind, 'create');
  const text = (changes[1] as { edits: { newText: string }[] }).edits[0]!.newText;
  const parsed = parse(text) as { resources: string[]; patches: unknown[] };
  assert.deepEqual(parsed.resources, ['gotk-components.yaml', 'gotk-sync.yaml']);
  assert.equal(parsed.patches.length, 2);
});

test('a FluxInstance gets the objectLevelWorkloadIdentity field instead of the gate patch', async () => {
  const r = await repo({ 'clusters/ops/flux.yaml': [...FLUX_INSTANCE_LINES, ''].join('\n') });
  const file = r.file('clusters/ops/flux.yaml');
  const context = providePatchContext({ uri: file.uri }, file, r.ctx, r.load);
  const gate = context.actions.find((a) => a.id === 'objectLevelWorkloadIdentity')!;
  assert.deepEqual(gate.fluxInstanceFields, ['spec.cluster.objectLevelWorkloadIdentity']);
  assert.deepEqual(gate.inputs, []);
  const result = providePatchEdit({ uri: file.uri, action: 'objectLevelWorkloadIdentity' }, file, r.ctx, r.load);
  const edits = (result.edit!.documentChanges![0] as TextDocumentEdit).edits;
  const text = applyTextEdits(file.text, edits, file.lines);
  assert.equal(
    (parse(text) as { spec: { cluster: { objectLevelWorkloadIdentity: boolean } } }).spec.cluster
      .objectLevelWorkloadIdentity,
    true,
  );
});
