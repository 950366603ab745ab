import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DEFAULT_SETTINGS } from '../../shared/src/protocol';
import { parseManifest } from '../../server/src/document/manifest';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import {
  applyTextEdits,
  extendTargetName,
  newKustomizationText,
  planPatchEdits,
  type PatchRequest,
} from '../../server/src/features/patchEdits';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import type { ControllerName } from '../../server/src/catalog';
import { CLIENT_ID as CLIENT, FLUX_INSTANCE_LINES, TENANT_ID as TENANT } from './fixtures';

const OTHER = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

/** Applies a request to a text; returns the new text, the notes, and the result of running it again. */
function run(text: string, req: PatchRequest, fluxVersion = '2.7') {
  const file = parseManifest('file:///repo/clusters/a/flux-system/kustomization.yaml', 1, text);
  const plan = planPatchEdits(file, req, fluxVersion);
  if ('error' in plan) throw new Error(plan.error);
  const out = applyTextEdits(text, plan.edits, file.lines);
  const again = parseManifest(file.uri, 2, out);
  const second = planPatchEdits(again, req, fluxVersion);
  if ('error' in second) throw new Error(`second run: ${second.error}`);
  return { out, notes: plan.notes, secondEdits: second.edits.length, secondNotes: second.notes };
}

/** The patches of a kustomization as plain data, with their bodies parsed. */
function patchesOf(text: string, path: string[] = ['patches']) {
  let node = parse(text) as Record<string, unknown>;
  for (const key of path) node = (node?.[key] ?? undefined) as Record<string, unknown>;
  const list = (node ?? []) as unknown as { patch: string; target: { kind: string; name: string } }[];
  return list.map((p) => ({ target: p.target, body: (p.patch === undefined ? undefined : parse(p.patch)) as unknown }));
}

/** Error and warning diagnostics our server reports on a text. */
function problems(text: string, uri = 'file:///repo/clusters/a/flux-system/kustomization.yaml'): string[] {
  const file = parseManifest(uri, 1, text);
  return computeDiagnostics(file, { index: new WorkspaceIndex(), settings: DEFAULT_SETTINGS })
    .filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning)
    .map((d) => `${d.range.start.line + 1}: ${String(d.code)} ${d.message}`);
}

const BARE = newKustomizationText();

/** The gate request for `controllers`. */
const gate = (...controllers: ControllerName[]): PatchRequest => ({
  action: 'objectLevelWorkloadIdentity',
  controllers,
});

/** A request of `action` for `controllers` with the test identity (CLIENT in TENANT) and the `more` answers. */
const withIdentity = (
  action: PatchRequest['action'],
  controllers: ControllerName[],
  more: Partial<PatchRequest> = {},
): PatchRequest => ({ action, controllers, clientId: CLIENT, tenantId: TENANT, ...more });

test('empty kustomization: writes patches: with the gate patch, parses, no problems, idempotent', () => {
  const r = run(BARE, gate('source-controller'));
  assert.ok(r.out.startsWith(BARE), 'the original text is kept as is');
  assert.match(r.out, /\npatches:\n {2}- patch: \|\n/);
  const patches = patchesOf(r.out);
  assert.equal(patches.length, 1);
  assert.deepEqual(patches[0]!.target, { kind: 'Deployment', name: 'source-controller' });
  assert.deepEqual(patches[0]!.body, [
    {
      op: 'add',
      path: '/spec/template/spec/containers/0/args/-',
      value: '--feature-gates=ObjectLevelWorkloadIdentity=true',
    },
  ]);
  assert.deepEqual(problems(r.out), []);
  assert.equal(r.secondEdits, 0, 'running it twice changes nothing');
});

test('AKS workload identity: ServiceAccount annotation and pod label patches with quoted "true"', () => {
  const r = run(BARE, withIdentity('aksWorkloadIdentity', ['source-controller', 'image-reflector-controller']));
  const [sa, label] = patchesOf(r.out);
  assert.deepEqual(sa!.target, { kind: 'ServiceAccount', name: '(source-controller|image-reflector-controller)' });
  assert.deepEqual((sa!.body as { metadata: { annotations: unknown } }).metadata.annotations, {
    'azure.workload.identity/client-id': CLIENT,
    'azure.workload.identity/tenant-id': TENANT,
  });
  assert.equal(label!.target.kind, 'Deployment');
  assert.match(r.out, /azure\.workload\.identity\/use: "true"/);
  assert.deepEqual(problems(r.out), []);
  assert.equal(r.secondEdits, 0);
});

test('non-AKS workload identity: env, projected token with the exchange audience, mount; cloud authority host', () => {
  const r = run(BARE, withIdentity('nonAksWorkloadIdentity', ['kustomize-controller'], { cloud: 'usgov' }));
  const [p] = patchesOf(r.out);
  const ops = p!.body as { path: string; value: { name: string; value?: string; projected?: unknown } }[];
  const env = Object.fromEntries(
    ops.filter((o) => o.path.endsWith('/env/-')).map((o) => [o.value.name, o.value.value]),
  );
  assert.deepEqual(env, {
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/',
    AZURE_FEDERATED_TOKEN_FILE: '/var/run/service-account/azure-token',
  });
  assert.match(r.out, /audience: api:\/\/AzureADTokenExchange/);
  assert.ok(ops.some((o) => o.path === '/spec/template/spec/containers/0/volumeMounts/-'));
  assert.deepEqual(problems(r.out), []);
  assert.equal(r.secondEdits, 0);
});

test('application certificate: secret volume, mount, optional password and send-chain; never image-reflector-controller', () => {
  const r = run(
    BARE,
    withIdentity('appCertificate', ['source-controller', 'image-reflector-controller'], {
      certSecretName: 'flux-app-cert',
      withKeyPassword: true,
      sendCertificateChain: true,
    }),
  );
  const [p] = patchesOf(r.out);
  assert.equal(p!.target.name, 'source-controller');
  assert.ok(r.notes.some((n) => n.startsWith('image-reflector-controller: skipped')));
  assert.match(r.out, /secretName: flux-app-cert/);
  assert.match(r.out, /subPath: cert-and-key/);
  assert.match(r.out, /key: key-password/);
  assert.match(r.out, /AZURE_CLIENT_SEND_CERTIFICATE_CHAIN\n\s+value: "true"/);
  assert.deepEqual(problems(r.out), []);
  assert.equal(r.secondEdits, 0);
});

test('existing patches: appends after the last one, keeps every comment and line', () => {
  const text = readFileSync(join(EXAMPLES, 'clusters', 'staging', 'flux-system', 'kustomization.yaml'), 'utf8');
  const r = run(text, {
    action: 'lockdown',
    controllers: ['source-controller', 'kustomize-controller', 'notification-controller'],
    serviceAccount: 'tenant',
    decryptionServiceAccount: 'sops',
  });
  const before = text.split('\n');
  const after = r.out.split('\n');
  // Every original line is still there, in order (only target names may change).
  let j = 0;
  for (const line of before) {
    while (j < after.length && after[j] !== line && !/^\s+name: /.test(line)) j++;
    assert.ok(j < after.length || /^\s+name: /.test(line), `line kept: ${line}`);
  }
  for (const comment of before.filter((l) => l.trim().startsWith('#'))) assert.ok(after.includes(comment));
  const patches = patchesOf(r.out);
  const gates = patches.filter((p) => JSON.stringify(p.body).includes('ObjectLevelWorkloadIdentity'));
  assert.equal(gates.length, 1, 'the gate patch is extended, not duplicated');
  assert.equal(gates[0]!.target.name, '(source-controller|kustomize-controller|notification-controller)');
  assert.ok(patches.some((p) => JSON.stringify(p.body).includes('--default-service-account=tenant')));
  assert.ok(
    patches.some(
      (p) =>
        JSON.stringify(p.body).includes('--default-decryption-service-account=sops') &&
        p.target.name === 'kustomize-controller',
    ),
  );
  assert.equal(r.secondEdits, 0);
});

test('existing target regex: extends the matching patch instead of adding a second one', () => {
  const text = readFileSync(join(EXAMPLES, 'clusters', 'production', 'flux-system', 'kustomization.yaml'), 'utf8');
  const r = run(text, {
    action: 'aksWorkloadIdentity',
    controllers: ['notification-controller', 'source-controller'],
    clientId: '9a93935d-67a2-478c-94e4-41e9199e7e43',
    tenantId: '437100c6-90c1-4b18-9071-f6d664f91f2f',
  });
  assert.equal(patchesOf(r.out).length, patchesOf(text).length);
  assert.equal(
    r.out.split('"(source-controller|image-reflector-controller|notification-controller)"').length - 1,
    2,
    'both the ServiceAccount and the pod-label patch targets are extended',
  );
  assert.ok(r.notes.some((n) => n.includes('source-controller') && n.includes('already there')));
  assert.equal(r.secondEdits, 0);
});

test('a regex that is not a plain alternation is kept whole when extended', () => {
  assert.equal(extendTargetName('source-controller', ['helm-controller']), '(source-controller|helm-controller)');
  assert.equal(extendTargetName('(a|b)', ['b', 'c']), '(a|b|c)');
  assert.equal(extendTargetName('.*-controller', ['x']), '(.*-controller|x)');
  assert.equal(extendTargetName('(a)|(b)', ['c']), '((a)|(b)|c)');
});

test('a different identity on the same controller is reported, not overwritten', () => {
  const first = run(BARE, withIdentity('aksWorkloadIdentity', ['source-controller'])).out;
  const r = run(first, withIdentity('aksWorkloadIdentity', ['source-controller'], { clientId: OTHER }));
  assert.equal(r.out, first);
  assert.ok(r.notes.some((n) => n.includes('already annotated with client ID')));
});

test('CRLF files stay CRLF', () => {
  const text = BARE.replace(/\n/g, '\r\n') + 'patches:\r\n  # identity\r\n  - path: extra.yaml\r\n';
  const r = run(text, gate('helm-controller'));
  assert.ok(!/[^\r]\n/.test(r.out), 'no bare LF');
  assert.ok(r.out.includes('  # identity\r\n  - path: extra.yaml\r\n  - patch: |\r\n'));
  assert.equal(patchesOf(r.out.replace(/\r/g, '')).length, 2);
  assert.equal(r.secondEdits, 0);
});

test('a file without a final newline, `patches: []` and `patches:` with no value', () => {
  const noEol = BARE.trimEnd();
  const a = run(noEol, gate('source-controller'));
  assert.equal(patchesOf(a.out).length, 1);
  assert.ok(a.out.startsWith(noEol + '\npatches:\n'));
  const b = run(BARE + 'patches: []\n', gate('source-controller'));
  assert.equal(patchesOf(b.out).length, 1);
  const c = run(BARE + 'patches:\nnamespace: flux-system\n', gate('source-controller'));
  assert.equal(patchesOf(c.out).length, 1);
  assert.equal((parse(c.out) as { namespace: string }).namespace, 'flux-system');
  for (const r of [a, b, c]) assert.equal(r.secondEdits, 0);
});

test('resources written at column 0 make new patch items column 0 too', () => {
  const text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n';
  const r = run(text, gate('source-controller'));
  assert.match(r.out, /\npatches:\n- patch: \|\n/);
});

const FLUX_INSTANCE = [
  '# Flux Operator',
  ...FLUX_INSTANCE_LINES,
  '    registry: ghcr.io/fluxcd',
  '  cluster:',
  '    type: azure # AKS',
  '',
].join('\n');

test('FluxInstance: the gate is the objectLevelWorkloadIdentity field, not a patch', () => {
  const r = run(FLUX_INSTANCE, gate('source-controller'));
  const spec = (parse(r.out) as { spec: { cluster: Record<string, unknown>; kustomize?: unknown } }).spec;
  assert.deepEqual(spec.cluster, { type: 'azure', objectLevelWorkloadIdentity: true });
  assert.equal(spec.kustomize, undefined);
  assert.ok(r.out.includes('    type: azure # AKS\n    objectLevelWorkloadIdentity: true\n'));
  assert.equal(r.secondEdits, 0);
});

test('FluxInstance: identity patches go to spec.kustomize.patches (created), lockdown sets the tenant fields', () => {
  const r = run(FLUX_INSTANCE, withIdentity('aksWorkloadIdentity', ['source-controller']));
  const patches = patchesOf(r.out, ['spec', 'kustomize', 'patches']);
  assert.equal(patches.length, 2);
  assert.ok(r.out.includes('  kustomize:\n    patches:\n      - patch: |\n'));
  assert.deepEqual(problems(r.out, 'file:///repo/clusters/a/flux.yaml'), []);
  assert.equal(r.secondEdits, 0);

  const more = run(r.out, gate('source-controller'));
  assert.equal(patchesOf(more.out, ['spec', 'kustomize', 'patches']).length, 2);

  const lock = run(FLUX_INSTANCE, {
    action: 'lockdown',
    controllers: ['source-controller'],
    serviceAccount: 'tenant',
  });
  const cluster = (parse(lock.out) as { spec: { cluster: Record<string, unknown> } }).spec.cluster;
  assert.equal(cluster.objectLevelWorkloadIdentity, true);
  assert.equal(cluster.multitenantWorkloadIdentity, true);
  assert.equal(cluster.tenantDefaultServiceAccount, 'tenant');
  assert.equal(lock.secondEdits, 0);
});

test('FluxInstance in a multi-document file: existing spec.kustomize.patches are extended in place', () => {
  const labelPatch = [
    '  kustomize:',
    '    patches:',
    '      - patch: |',
    '          apiVersion: apps/v1',
    '          kind: Deployment',
    '          metadata:',
    '            name: source-controller',
    '          spec:',
    '            template:',
    '              metadata:',
    '                labels:',
    '                  azure.workload.identity/use: "true"',
    '        target:',
    '          kind: Deployment',
    '          name: source-controller',
    '',
  ].join('\n');
  const namespace = '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: tenants\n';
  const text = FLUX_INSTANCE.replace('  cluster:\n    type: azure # AKS\n', labelPatch) + namespace;
  const r = run(text, withIdentity('aksWorkloadIdentity', ['source-controller', 'helm-controller']));
  assert.ok(r.out.endsWith(namespace), 'the next document is untouched');
  const patches = patchesOf(r.out.slice(0, r.out.indexOf('---')), ['spec', 'kustomize', 'patches']);
  assert.equal(patches.length, 2, 'one new ServiceAccount patch; the pod-label patch is extended');
  assert.match(r.out, /name: "\(source-controller\|helm-controller\)"/);
  assert.equal(r.secondEdits, 0);
});

test('invalid input is refused with a reason', () => {
  const file = parseManifest('file:///k.yaml', 1, BARE);
  const bad = (req: PatchRequest) => {
    const plan = planPatchEdits(file, req, '2.7');
    return 'error' in plan ? plan.error : '';
  };
  assert.match(
    bad(withIdentity('aksWorkloadIdentity', ['source-controller'], { clientId: 'CLIENT_ID' })),
    /not a GUID/,
  );
  assert.match(
    bad(withIdentity('appCertificate', ['source-controller'], { certSecretName: 'Bad_Name' })),
    /not a valid Secret name/,
  );
  assert.match(bad({ action: 'lockdown', controllers: ['source-controller'] }), /no default ServiceAccount/);
  assert.match(bad(gate()), /no controllers/);
  const notKustomize = parseManifest('file:///x.yaml', 1, 'apiVersion: v1\nkind: ConfigMap\n');
  const plan = planPatchEdits(notKustomize, gate('source-controller'));
  assert.ok('error' in plan);
});

test('the gate is not offered for controllers that do not know it in the Flux version', () => {
  const r = run(BARE, gate('helm-controller', 'source-controller'), '2.6');
  assert.equal(patchesOf(r.out)[0]!.target.name, 'source-controller');
  assert.ok(r.notes.some((n) => n.startsWith('helm-controller: skipped')));
});
