// The rendering's patch engines: strategic merge patches (kustomize semantics, built-in kinds versus custom
// resources), JSON6902 operations, and patch targets (regex names, label and annotation selectors). Trees are built
// from YAML text, so origins (`at`) are real file positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBuiltinApiGroup, mergeKeyOf } from '../../server/src/catalog';
import { parseManifest } from '../../server/src/document/manifest';
import { applyJsonPatch } from '../../server/src/render/jsonPatch';
import type { RObject } from '../../server/src/render/object';
import {
  matchesSelector,
  matchesTarget,
  parseSelector,
  targetOf,
  type PatchTarget,
  type Selector,
  type SelectorOperator,
  type SelectorRequirement,
} from '../../server/src/render/selectors';
import { strategicMerge } from '../../server/src/render/strategicMerge';
import { fromYaml, nodeIn, toPlain, type RMap, type RNode, type Via } from '../../server/src/render/value';

const BASE_URI = 'file:///repo/base/deployment.yaml';
const PATCH_URI = 'file:///repo/prod/patch.yaml';

function yaml(lines: string[], uri = BASE_URI, via: Via = 'file'): RNode {
  const doc = parseManifest(uri, 0, lines.join('\n') + '\n').docs[0];
  return fromYaml(doc, doc.root, via);
}

const patchOf = (lines: string[]): RNode => yaml(lines, PATCH_URI, 'patch');

const DEPLOYMENT = [
  'apiVersion: apps/v1', // 0
  'kind: Deployment', // 1
  'metadata:', // 2
  '  name: podinfo', // 3
  'spec:', // 4
  '  selector:', // 5
  '    matchLabels:', // 6
  '      app: podinfo', // 7
  '  template:', // 8
  '    spec:', // 9
  '      securityContext:', // 10
  '        runAsNonRoot: true', // 11
  '      containers:', // 12
  '        - name: app', // 13
  '          image: podinfo:6.0.0', // 14
  '          args: [--level=info, --port=9898]', // 15
  '          env:', // 16
  '            - name: A', // 17
  '              value: "1"', // 18
  '            - name: B', // 19
  '              value: "2"', // 20
  '          volumeMounts:', // 21
  '            - name: data', // 22
  '              mountPath: /data', // 23
  '          ports:', // 24
  '            - containerPort: 9898', // 25
  '              name: http', // 26
  '          resources:', // 27
  '            limits: {cpu: 100m, memory: 64Mi}', // 28
  '        - name: sidecar', // 29
  '          image: envoy:1.0', // 30
  '      tolerations:', // 31
  '        - key: a', // 32
  '          operator: Exists', // 33
];

const HEAD = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: podinfo',
  'spec:',
  '  template:',
  '    spec:',
];

function merge(patch: string[], base = DEPLOYMENT, builtin = true): RNode | undefined {
  return strategicMerge(yaml(base), patchOf(patch), { builtin });
}

function plain(node: RNode | undefined, path: (string | number)[]): unknown {
  return toPlain(nodeIn(node, path));
}

const CONTAINERS = ['spec', 'template', 'spec', 'containers'];

test('containers merge by name: env merges by name, args are replaced, other fields stay', () => {
  const out = merge([
    ...HEAD,
    '      containers:',
    '        - name: app',
    '          image: podinfo:6.1.0',
    '          args: [--level=debug]',
    '          env:',
    '            - name: B',
    '              value: "20"',
    '            - name: C',
    '              value: "3"',
  ]);
  assert.deepEqual(plain(out, [...CONTAINERS, 0]), {
    name: 'app',
    image: 'podinfo:6.1.0',
    args: ['--level=debug'],
    env: [
      { name: 'A', value: '1' },
      { name: 'B', value: '20' },
      { name: 'C', value: '3' },
    ],
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
    ports: [{ containerPort: 9898, name: 'http' }],
    resources: { limits: { cpu: '100m', memory: '64Mi' } },
  });
  // the container not named in the patch is untouched, and so is everything outside the template
  assert.deepEqual(plain(out, [...CONTAINERS, 1]), { name: 'sidecar', image: 'envoy:1.0' });
  assert.deepEqual(plain(out, ['spec', 'selector']), { matchLabels: { app: 'podinfo' } });
  assert.deepEqual(plain(out, ['spec', 'template', 'spec', 'tolerations']), [{ key: 'a', operator: 'Exists' }]);
});

test('a container with a new name is appended; lists without a merge key are replaced', () => {
  const out = merge([
    ...HEAD,
    '      containers:',
    '        - name: istio-proxy',
    '          image: istio:1.2',
    '      tolerations:',
    '        - key: b',
    '          operator: Equal',
  ]);
  assert.deepEqual(
    itemsNames(nodeIn(out, CONTAINERS)),
    ['app', 'sidecar', 'istio-proxy'],
    'appended after the base containers, none lost',
  );
  assert.deepEqual(plain(out, ['spec', 'template', 'spec', 'tolerations']), [{ key: 'b', operator: 'Equal' }]);
});

function itemsNames(node: RNode | undefined): unknown[] {
  return (toPlain(node) as { name?: unknown }[]).map((i) => i.name);
}

test('volumeMounts merge by mountPath and container ports by containerPort, not by name', () => {
  const out = merge([
    ...HEAD,
    '      containers:',
    '        - name: app',
    '          volumeMounts:',
    '            - name: renamed',
    '              mountPath: /data',
    '              readOnly: true',
    '          ports:',
    '            - containerPort: 9898',
    '              protocol: TCP',
    '            - containerPort: 9797',
  ]);
  assert.deepEqual(plain(out, [...CONTAINERS, 0, 'volumeMounts']), [
    { name: 'renamed', mountPath: '/data', readOnly: true },
  ]);
  assert.deepEqual(plain(out, [...CONTAINERS, 0, 'ports']), [
    { containerPort: 9898, name: 'http', protocol: 'TCP' },
    { containerPort: 9797 },
  ]);
});

test("a Service's ports merge by port", () => {
  const service = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:'];
  const out = merge(
    [...service, '    - port: 80', '      targetPort: 8080', '    - port: 443'],
    [...service, '    - port: 80', '      name: http', '      targetPort: 9898'],
  );
  assert.deepEqual(plain(out, ['spec', 'ports']), [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443 }]);
});

test('$patch: delete removes a list item by its key, a map, or the whole object', () => {
  const out = merge([
    ...HEAD,
    '      securityContext:',
    '        $patch: delete',
    '      containers:',
    '        - name: sidecar',
    '          $patch: delete',
    '        - name: app',
    '          env:',
    '            - name: A',
    '              $patch: delete',
  ]);
  assert.deepEqual(itemsNames(nodeIn(out, CONTAINERS)), ['app']);
  assert.deepEqual(plain(out, [...CONTAINERS, 0, 'env']), [{ name: 'B', value: '2' }]);
  assert.equal(nodeIn(out, ['spec', 'template', 'spec', 'securityContext']), undefined);
  assert.ok(nodeIn(out, ['spec', 'template', 'spec', 'tolerations']), 'siblings stay');
  // deleting a name the base does not have changes nothing
  const none = merge([...HEAD, '      containers:', '        - name: nope', '          $patch: delete']);
  assert.deepEqual(itemsNames(nodeIn(none, CONTAINERS)), ['app', 'sidecar']);
  assert.equal(
    merge(['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: podinfo', '$patch: delete']),
    undefined,
  );
});

test('$patch: replace replaces a map, or a list when it is an item of its own', () => {
  const map = merge([
    ...HEAD,
    '      containers:',
    '        - name: app',
    '          resources:',
    '            $patch: replace',
    '            requests: {cpu: 10m}',
  ]);
  assert.deepEqual(plain(map, [...CONTAINERS, 0, 'resources']), { requests: { cpu: '10m' } }, 'limits gone');
  assert.equal(plain(map, [...CONTAINERS, 0, 'image']), 'podinfo:6.0.0', 'the container itself still merged');

  const list = merge([
    ...HEAD,
    '      containers:',
    '        - $patch: replace',
    '        - name: only',
    '          image: x',
  ]);
  assert.deepEqual(plain(list, CONTAINERS), [{ name: 'only', image: 'x' }]);
});

test('null deletes a key (and adds nothing where the base has none); directives never reach the result', () => {
  const out = merge([
    ...HEAD,
    '      securityContext:',
    '        runAsNonRoot: null',
    '        fsGroup: 1000',
    '      hostNetwork: null',
    '      $setElementOrder/containers:',
    '        - name: sidecar',
    '        - name: app',
    '      $retainKeys: [containers]',
    '      containers:',
    '        - name: app',
    '          $deleteFromPrimitiveList/args: [--port=9898]',
    '          resources: null',
    '          newThing:',
    '            $patch: merge',
    '            inner: null',
    '            kept: 1',
  ]);
  assert.deepEqual(plain(out, ['spec', 'template', 'spec', 'securityContext']), { fsGroup: 1000 });
  assert.equal(nodeIn(out, ['spec', 'template', 'spec', 'hostNetwork']), undefined);
  assert.equal(nodeIn(out, [...CONTAINERS, 0, 'resources']), undefined);
  assert.deepEqual(plain(out, [...CONTAINERS, 0, 'newThing']), { kept: 1 });
  assert.ok(!JSON.stringify(toPlain(out)).includes('$'), JSON.stringify(toPlain(out)));
});

const HELM_RELEASE = [
  'apiVersion: helm.toolkit.fluxcd.io/v2',
  'kind: HelmRelease',
  'metadata:',
  '  name: app',
  'spec:',
  '  interval: 10m',
  '  values:',
  '    replicas: 1',
  '    containers:',
  '      - name: app',
  '        image: a',
  '      - name: b',
  '        image: b',
];

test('on a custom resource every list is replaced wholesale while maps still merge', () => {
  const patch = [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    'spec:',
    '  values:',
    '    replicas: 3',
    '    containers:',
    '      - name: app',
    '        image: z',
  ];
  const crd = merge(patch, HELM_RELEASE, false);
  assert.deepEqual(plain(crd, ['spec']), {
    interval: '10m',
    values: { replicas: 3, containers: [{ name: 'app', image: 'z' }] },
  });
  // the same patch on a built-in kind would have merged the containers by name
  const builtin = merge(patch, HELM_RELEASE, true);
  assert.deepEqual(plain(builtin, ['spec', 'values', 'containers']), [
    { name: 'app', image: 'z' },
    { name: 'b', image: 'b' },
  ]);
  // and a Deployment's containers are replaced when treated as a custom resource
  const asCrd = merge([...HEAD, '      containers:', '        - name: app', '          image: x'], DEPLOYMENT, false);
  assert.deepEqual(plain(asCrd, CONTAINERS), [{ name: 'app', image: 'x' }]);
});

test('a value set by the patch remembers the patch line; untouched values keep the base line and are shared', () => {
  const base = yaml(DEPLOYMENT);
  const patch = patchOf([
    ...HEAD, // 0-6
    '      containers:', // 7
    '        - name: app', // 8
    '          image: podinfo:6.1.0', // 9
    '          env:', // 10
    '            - name: Z', // 11
    '              value: z', // 12
    '      hostPID: true', // 13
  ]);
  const out = strategicMerge(base, patch, { builtin: true });
  const image = nodeIn(out, [...CONTAINERS, 0, 'image'])!;
  assert.equal(image.at.uri, PATCH_URI);
  assert.equal(image.at.via, 'patch');
  assert.equal(image.at.range.start.line, 9);
  const name = nodeIn(out, [...CONTAINERS, 0, 'name'])!;
  assert.equal(name.at.uri, BASE_URI, 'the merge key only identifies the item: it stays the base value');
  assert.equal(name.at.range.start.line, 13);
  const args = nodeIn(out, [...CONTAINERS, 0, 'args'])!;
  assert.equal(args.at.uri, BASE_URI);
  assert.equal(args.at.range.start.line, 15);
  // the merged container keeps the base map's position; the appended env var is the patch's
  assert.equal(nodeIn(out, [...CONTAINERS, 0])!.at.uri, BASE_URI);
  assert.equal(nodeIn(out, [...CONTAINERS, 0, 'env', 2])!.at.uri, PATCH_URI);
  assert.equal(nodeIn(out, [...CONTAINERS, 0, 'env', 2])!.at.range.start.line, 11);
  // a key the patch adds: its key position is the patch's
  const podSpec = nodeIn(out, ['spec', 'template', 'spec']) as RMap;
  assert.equal(podSpec.entries.get('hostPID')!.key.uri, PATCH_URI);
  assert.equal(podSpec.entries.get('hostPID')!.key.range.start.line, 13);
  assert.equal(podSpec.entries.get('containers')!.key.uri, BASE_URI);
  assert.equal(podSpec.at.uri, BASE_URI);
  // untouched subtrees are the base's own nodes, not copies
  assert.equal(nodeIn(out, ['spec', 'selector']), nodeIn(base, ['spec', 'selector']));
  assert.equal(nodeIn(out, [...CONTAINERS, 1]), nodeIn(base, [...CONTAINERS, 1]));
  assert.equal(nodeIn(out, ['metadata']), nodeIn(base, ['metadata']));
  assert.notEqual(nodeIn(out, CONTAINERS), nodeIn(base, CONTAINERS));
});

test('merge keys and built-in API groups come from the catalog', () => {
  assert.equal(mergeKeyOf('containers', 'spec'), 'name');
  assert.equal(mergeKeyOf('initContainers', 'spec'), 'name');
  assert.equal(mergeKeyOf('env', 'containers'), 'name');
  assert.equal(mergeKeyOf('volumeMounts', 'initContainers'), 'mountPath');
  assert.equal(mergeKeyOf('ports', 'containers'), 'containerPort');
  assert.equal(mergeKeyOf('ports', 'spec'), 'port');
  assert.equal(mergeKeyOf('hostAliases', 'spec'), 'ip');
  assert.equal(mergeKeyOf('topologySpreadConstraints', 'spec'), 'topologyKey');
  assert.equal(mergeKeyOf('imagePullSecrets', 'spec'), 'name');
  for (const replaced of ['args', 'command', 'envFrom', 'tolerations', 'finalizers'])
    assert.equal(mergeKeyOf(replaced, 'containers'), undefined, replaced);
  assert.equal(mergeKeyOf('ports', 'ingress'), undefined, "a NetworkPolicy rule's ports have no merge key");

  for (const g of ['', 'apps', 'batch', 'autoscaling', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io'])
    assert.ok(isBuiltinApiGroup(g), g);
  for (const g of ['apiextensions.k8s.io', 'admissionregistration.k8s.io', 'storage.k8s.io'])
    assert.ok(isBuiltinApiGroup(g), g);
  for (const g of [
    'helm.toolkit.fluxcd.io',
    'kustomize.toolkit.fluxcd.io',
    'cluster.x-k8s.io',
    'gateway.networking.k8s.io',
    'k8s.io.example.com',
    'monitoring.coreos.com',
  ])
    assert.ok(!isBuiltinApiGroup(g), g);
});

// ---------------------------------------------------------------------------------------------------------------
// JSON6902

const SA = [
  'apiVersion: v1', // 0
  'kind: ServiceAccount', // 1
  'metadata:', // 2
  '  name: kustomize-controller', // 3
  '  annotations:', // 4
  '    a~b: tilde', // 5
  '  labels:', // 6
  '    app: kc', // 7
  'spec:', // 8
  '  list: [a, b, c]', // 9
];

function jsonPatch(ops: string[], base = SA): { node: RNode; errors: string[]; base: RNode } {
  const root = yaml(base);
  return { ...applyJsonPatch(root, patchOf(ops)), base: root };
}

test('JSON6902 add: a key (with ~1 escapes), `-` appends, an index inserts before; the value keeps the patch line', () => {
  const { node, errors, base } = jsonPatch([
    '- op: add', // 0
    '  path: /metadata/annotations/azure.workload.identity~1client-id', // 1
    '  value: 00000000-0000-0000-0000-000000000000', // 2
    '- op: add',
    '  path: /spec/list/-',
    '  value: d',
    '- op: add',
    '  path: /spec/list/0',
    '  value: first',
    '- op: add',
    '  path: /spec/list/1',
    '  value: second',
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(plain(node, ['metadata', 'annotations']), {
    'a~b': 'tilde',
    'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000',
  });
  assert.deepEqual(plain(node, ['spec', 'list']), ['first', 'second', 'a', 'b', 'c', 'd']);
  const added = nodeIn(node, ['metadata', 'annotations', 'azure.workload.identity/client-id'])!;
  assert.equal(added.at.uri, PATCH_URI);
  assert.equal(added.at.range.start.line, 2);
  const annotations = nodeIn(node, ['metadata', 'annotations']) as RMap;
  assert.equal(annotations.entries.get('azure.workload.identity/client-id')!.key.uri, PATCH_URI);
  assert.equal(nodeIn(node, ['metadata', 'labels']), nodeIn(base, ['metadata', 'labels']), 'untouched: shared');
  assert.equal(nodeIn(node, ['metadata', 'name'])!.at.uri, BASE_URI);
});

test('JSON6902 remove, replace (with ~0), move, copy', () => {
  const { node, errors } = jsonPatch([
    '- op: remove',
    '  path: /spec/list/1',
    '- op: replace',
    '  path: /metadata/annotations/a~0b',
    '  value: replaced',
    '- op: copy',
    '  from: /metadata/labels/app',
    '  path: /metadata/labels/copied',
    '- op: move',
    '  from: /spec/list/0',
    '  path: /spec/moved',
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(plain(node, ['spec']), { list: ['c'], moved: 'a' });
  assert.deepEqual(plain(node, ['metadata', 'annotations']), { 'a~b': 'replaced' });
  assert.deepEqual(plain(node, ['metadata', 'labels']), { app: 'kc', copied: 'kc' });
  // a moved or copied value keeps its own origin
  assert.equal(nodeIn(node, ['metadata', 'labels', 'copied'])!.at.uri, BASE_URI);
  assert.equal(nodeIn(node, ['metadata', 'annotations', 'a~b'])!.at.uri, PATCH_URI);
});

test('JSON6902 test: a passing test changes nothing, a failing one is reported', () => {
  const pass = jsonPatch([
    '- op: test',
    '  path: /spec/list',
    '  value: [a, b, c]',
    '- op: test',
    '  path: /metadata/labels',
    '  value: {app: kc}',
  ]);
  assert.deepEqual(pass.errors, []);
  const fail = jsonPatch(['- op: test', '  path: /metadata/labels/app', '  value: other']);
  assert.equal(fail.errors.length, 1);
  assert.match(fail.errors[0], /test \/metadata\/labels\/app/);
  const order = jsonPatch(['- op: test', '  path: /spec/list', '  value: [c, b, a]']);
  assert.equal(order.errors.length, 1, 'list order matters');
});

test('a failing JSON6902 operation is reported, naming op and path, and skipped; the others still apply', () => {
  const { node, errors } = jsonPatch([
    '- op: replace',
    '  path: /metadata/missing',
    '  value: x',
    '- op: add',
    '  path: /spec/list/9',
    '  value: x',
    '- op: remove',
    '  path: /spec/nothing/here',
    '- op: add',
    '  path: /metadata/labels/after',
    '  value: later',
    '- op: frobnicate',
    '  path: /x',
    '- op: add',
    '  path: no-slash',
    '  value: 1',
    '- op: move',
    '  from: /metadata',
    '  path: /metadata/labels/x',
  ]);
  assert.equal(errors.length, 6, errors.join('\n'));
  assert.match(errors[0], /^operation 1: replace \/metadata\/missing: .*does not exist/);
  assert.match(errors[1], /^operation 2: add \/spec\/list\/9: .*past the end/);
  assert.match(errors[2], /^operation 3: remove \/spec\/nothing\/here/);
  assert.match(errors[3], /^operation 5: .*frobnicate/);
  assert.match(errors[4], /^operation 6: add no-slash/);
  assert.match(errors[5], /^operation 7: move \/metadata\/labels\/x: .*own child/);
  assert.deepEqual(plain(node, ['metadata', 'labels']), { app: 'kc', after: 'later' });
  assert.deepEqual(plain(node, ['spec', 'list']), ['a', 'b', 'c']);
  assert.deepEqual(applyJsonPatch(yaml(SA), yaml(['op: add'])).errors, [
    'a JSON6902 patch must be a list of operations',
  ]);
});

// ---------------------------------------------------------------------------------------------------------------
// Selectors and targets

function objectOf(lines: string[]): RObject {
  const node = yaml(lines) as RMap;
  return { node, source: { uri: BASE_URI, doc: 0, range: node.at.range }, changedBy: [] };
}

const labels = (entries: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(entries));

function selects(selector: string, values: Record<string, string>): boolean {
  const sel = parseSelector(selector);
  assert.ok(!('error' in sel), `${selector}: ${'error' in sel ? sel.error : ''}`);
  return matchesSelector(sel as Selector, labels(values));
}

test('label selector operators', () => {
  const web = { app: 'web', tier: 'front' };
  assert.ok(selects('app=web', web));
  assert.ok(!selects('app=api', web));
  assert.ok(selects('app==web', web));
  assert.ok(!selects('app==api', web));
  assert.ok(selects('app!=api', web));
  assert.ok(!selects('app!=web', web));
  assert.ok(selects('missing!=x', web), '!= holds when the key is absent');
  assert.ok(selects('app in (api, web)', web));
  assert.ok(!selects('app in (api,db)', web));
  assert.ok(!selects('missing in (x)', web));
  assert.ok(selects('app notin (api)', web));
  assert.ok(!selects('app notin (api, web)', web));
  assert.ok(selects('missing notin (x)', web));
  assert.ok(selects('app', web));
  assert.ok(!selects('missing', web));
  assert.ok(selects('!missing', web));
  assert.ok(!selects('!app', web));
  assert.ok(selects('  app = web ,  tier in ( front ) , !canary  ', web), 'whitespace tolerant, AND');
  assert.ok(!selects('app=web,tier=back', web), 'every requirement must hold');
  assert.ok(selects('', web), 'an empty selector selects everything');
  assert.ok(selects('app.kubernetes.io/name=web', { 'app.kubernetes.io/name': 'web' }));
  assert.ok(selects('replicas>2', { replicas: '3' }));
  assert.ok(!selects('replicas<2', { replicas: '3' }));

  const parsed = parseSelector('a in (x, y), !b') as Selector;
  const expected: SelectorRequirement[] = [
    { key: 'a', op: 'in' satisfies SelectorOperator, values: ['x', 'y'] },
    { key: 'b', op: 'notExists', values: [] },
  ];
  assert.deepEqual(parsed.requirements, expected);
});

test('an unparseable selector is an error, and as a target selects nothing', () => {
  for (const bad of [
    'a in ()',
    'a in (x',
    'a b',
    ',',
    'a=b,',
    '=b',
    'a=b=c',
    '!',
    'a notin x',
    'a=b c',
    'bad key=x',
    '-a=b',
  ])
    assert.ok('error' in parseSelector(bad), bad);
  const obj = objectOf(['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', '  labels: {a: b}']);
  assert.ok(matchesTarget(obj, { labelSelector: 'a=b' }));
  assert.ok(!matchesTarget(obj, { labelSelector: 'a in (' }));
});

const DEPLOY_OBJ = (name: string, namespace?: string): RObject =>
  objectOf([
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    '  annotations:',
    '    fluxcd.io/owner: team-a',
  ]);

test('target names and namespaces are regular expressions anchored at both ends', () => {
  assert.ok(matchesTarget(DEPLOY_OBJ('podinfo'), { name: 'podinfo' }));
  assert.ok(!matchesTarget(DEPLOY_OBJ('podinfo-2'), { name: 'podinfo' }), 'no prefix match');
  assert.ok(!matchesTarget(DEPLOY_OBJ('my-podinfo'), { name: 'podinfo' }), 'no suffix match');
  assert.ok(matchesTarget(DEPLOY_OBJ('app-prod'), { name: '.*-prod' }));
  assert.ok(!matchesTarget(DEPLOY_OBJ('app-prod-2'), { name: '.*-prod' }));
  assert.ok(matchesTarget(DEPLOY_OBJ('b'), { name: 'a|b' }), 'alternation is grouped inside the anchors');
  assert.ok(!matchesTarget(DEPLOY_OBJ('ab'), { name: 'a|b' }));
  assert.ok(!matchesTarget(DEPLOY_OBJ('podinfo'), { name: 'pod(' }), 'an invalid pattern matches nothing');
  assert.ok(matchesTarget(DEPLOY_OBJ('x', 'apps-prod'), { namespace: 'apps-.*' }));
  assert.ok(!matchesTarget(DEPLOY_OBJ('x', 'apps-prod'), { namespace: 'apps' }));
  assert.ok(matchesTarget(DEPLOY_OBJ('x'), { namespace: 'default' }), 'no namespace counts as default');
  assert.ok(!matchesTarget(DEPLOY_OBJ('x'), { namespace: 'flux-system' }));
});

test('target group, version and kind compare exactly; an empty group selects any group; annotationSelector', () => {
  const deploy = DEPLOY_OBJ('podinfo', 'apps');
  const cm = objectOf(['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: podinfo']);
  assert.ok(matchesTarget(deploy, { group: 'apps', version: 'v1', kind: 'Deployment' }));
  assert.ok(!matchesTarget(deploy, { group: 'extensions', kind: 'Deployment' }));
  assert.ok(!matchesTarget(deploy, { version: 'v1beta1' }));
  assert.ok(!matchesTarget(deploy, { kind: 'deployment' }), 'kind is case-sensitive');
  assert.ok(!matchesTarget(deploy, { kind: 'Deploy' }), 'kind is not a pattern');
  assert.ok(matchesTarget(cm, { group: '', version: 'v1', kind: 'ConfigMap' }), 'the core group');
  assert.ok(!matchesTarget(cm, { group: 'apps', kind: 'ConfigMap' }));
  assert.ok(matchesTarget(deploy, { group: '', kind: 'Deployment' }));
  assert.ok(matchesTarget(deploy, { annotationSelector: 'fluxcd.io/owner==team-a' }));
  assert.ok(!matchesTarget(deploy, { annotationSelector: 'fluxcd.io/owner==team-b' }));
  assert.ok(!matchesTarget(cm, { annotationSelector: 'fluxcd.io/owner' }));
  assert.ok(!matchesTarget(deploy, { labelSelector: 'fluxcd.io/owner' }), 'labels are not annotations');
  assert.ok(matchesTarget(deploy, {}), 'an empty target selects everything');
});

test('targetOf reads a kustomize target map', () => {
  const patches = yaml([
    'target:',
    '  group: apps',
    '  version: v1',
    '  kind: Deployment',
    '  name: podinfo',
    '  namespace: apps',
    '  labelSelector: app=web',
    '  annotationSelector: a==b',
  ]);
  const expected: PatchTarget = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    name: 'podinfo',
    namespace: 'apps',
    labelSelector: 'app=web',
    annotationSelector: 'a==b',
  };
  assert.deepEqual(targetOf(nodeIn(patches, ['target'])), expected);
  assert.deepEqual(targetOf(yaml(['target:', '  kind: Deployment'])), {}, 'the map itself, not its parent');
  assert.deepEqual(targetOf(nodeIn(yaml(['target:', '  kind: Deployment']), ['target'])), { kind: 'Deployment' });
  assert.equal(targetOf(nodeIn(patches, ['nothing'])), undefined);
  assert.equal(targetOf(yaml(['- a'])), undefined);
});
