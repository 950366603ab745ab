// Positions of rendered values (kept as file offsets, turned into lines when read) and the compact entries of
// rendered maps: a finding on a rendered value lands on the line and character where the value is written, in the
// document of a multi-document file, after a patch and after a relabelling (substitution, transformer).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseManifest } from '../../server/src/document/manifest';
import { fromYaml, mapScalars, nodeIn, setIn, toPlain, withVia, type RMap } from '../../server/src/render/value';

const BASE = [
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: apps',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: settings',
  'data:',
  '  region: ${REGION}',
  '  zone: "2"',
  '  zone: "3"',
  '',
].join('\n');

const PATCH = ['data:', '  tier: gold', ''].join('\n');

test('a rendered value of a second document lands where it is written, key and value', () => {
  const file = parseManifest('file:///repo/base.yaml', 1, BASE);
  const doc = file.docs[1];
  const root = fromYaml(doc, doc.root, 'file');
  const region = nodeIn(root, ['data', 'region'])!;
  assert.equal(region.at.uri, 'file:///repo/base.yaml');
  assert.equal(region.at.via, 'file');
  assert.deepEqual(region.at.range, { start: { line: 10, character: 10 }, end: { line: 10, character: 19 } });
  assert.deepEqual(region.at.range, doc.range(doc.get(['data', 'region'])!));
  const data = nodeIn(root, ['data']) as RMap;
  assert.deepEqual(data.entries.get('region')!.key.range.start, { line: 10, character: 2 });
  // A repeated key keeps its first place and takes the last value (as a Map and Kubernetes decoders do).
  assert.deepEqual([...data.entries.keys()], ['region', 'zone']);
  assert.equal(data.entries.size, 2);
  assert.equal(toPlain(nodeIn(root, ['data', 'zone'])), '3');
  assert.equal(data.entries.get('zone')!.key.range.start.line, 12);
  assert.equal(data.entries.has('missing'), false);
});

test('after a patch and a substitution, each value keeps its own file and line; the relabelled one its place', () => {
  const base = parseManifest('file:///repo/base.yaml', 1, BASE).docs[1];
  const patch = parseManifest('file:///repo/overlay/patch.yaml', 1, PATCH).docs[0];
  const root = fromYaml(base, base.root, 'file');
  const patchRoot = fromYaml(patch, patch.root, 'patch', 'patch in overlay/kustomization.yaml');
  const tierEntry = (nodeIn(patchRoot, ['data']) as RMap).entries.get('tier')!;
  let rendered = setIn(root, ['data', 'tier'], tierEntry.value, tierEntry.key);
  rendered = mapScalars(rendered, (s) =>
    s.value === '${REGION}'
      ? { type: 'scalar', value: 'westeurope', at: withVia(s.at, 'substitution', 'from ConfigMap vars') }
      : undefined,
  );
  const tier = nodeIn(rendered, ['data', 'tier'])!;
  assert.equal(tier.at.uri, 'file:///repo/overlay/patch.yaml');
  assert.equal(tier.at.via, 'patch');
  assert.equal(tier.at.note, 'patch in overlay/kustomization.yaml');
  assert.deepEqual(tier.at.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } });
  const region = nodeIn(rendered, ['data', 'region'])!;
  assert.equal(toPlain(region), 'westeurope');
  assert.equal(region.at.via, 'substitution');
  assert.equal(region.at.note, 'from ConfigMap vars');
  assert.deepEqual(region.at.range.start, { line: 10, character: 10 });
  // Relabelling again keeps the note unless a new one is given; the base tree is unchanged.
  assert.equal(withVia(region.at, 'transformer').note, 'from ConfigMap vars');
  assert.equal(nodeIn(root, ['data', 'region'])!.at.via, 'file');
  assert.deepEqual(Object.keys(toPlain(nodeIn(rendered, ['data'])) as object), ['region', 'zone', 'tier']);
});

test('positions stay those of the version converted after the file is edited above them', () => {
  const v1 = parseManifest('file:///repo/base.yaml', 1, BASE);
  const root = fromYaml(v1.docs[1], v1.docs[1].root, 'file');
  parseManifest('file:///repo/base.yaml', 2, '# a comment\n' + BASE, v1, { head: 0, tail: BASE.length });
  assert.equal(nodeIn(root, ['data', 'region'])!.at.range.start.line, 10);
});

test('a map with many keys renders whole, in order, with O(1) lookups', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
  const text = `data:\n${keys.map((k) => `  ${k}: v`).join('\n')}\n`;
  const doc = parseManifest('file:///repo/big.yaml', 1, text).docs[0];
  const data = nodeIn(fromYaml(doc, doc.root, 'file'), ['data']) as RMap;
  assert.deepEqual([...data.entries.keys()], keys);
  assert.equal(data.entries.get('k39')!.key.range.start.line, 40);
});
