import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/document/manifest';
import { splitDocuments } from '../../server/src/document/chunks';
import { locate } from '../../server/src/document/locate';
import { isScalar, nodeAt } from '../../server/src/document/nodes';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GATE_PATCH_LINES } from './fixtures';

test('splits multi-document files at markers, not inside block scalars', () => {
  const text = 'a: 1\n---\nb: |\n  ---x\n  y\n---\nc: 3\n...\n';
  const chunks = splitDocuments(text).map((c) => text.slice(c.start, c.end));
  assert.deepEqual(chunks, ['a: 1\n', '---\nb: |\n  ---x\n  y\n', '---\nc: 3\n...\n']);
});

test('reads apiVersion/kind without parsing and parses lazily', () => {
  const file = parseManifest('file:///a.yaml', 1, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n');
  const doc = file.docs[0];
  assert.equal(doc.kind, 'ServiceAccount');
  assert.equal(doc.chunk.isParsed, false);
  assert.equal(doc.name, 'sa');
  assert.equal(doc.chunk.isParsed, true);
});

test('positions of nodes in later documents are file positions', () => {
  const text = 'kind: A\n---\nkind: B\nspec:\n  provider: azure\n';
  const file = parseManifest('u', 1, text);
  const provider = file.docs[1].scalar(['spec', 'provider'])!;
  assert.deepEqual(file.docs[1].range(provider), {
    start: { line: 4, character: 12 },
    end: { line: 4, character: 17 },
  });
});

test('an unchanged document keeps its parse across versions', () => {
  const v1 = parseManifest('u', 1, 'kind: A\n---\nkind: B\n');
  void v1.docs[0].root;
  const v2 = parseManifest('u', 2, 'kind: A\n---\nkind: BB\n', v1);
  assert.equal(v2.docs[0].chunk, v1.docs[0].chunk);
  assert.notEqual(v2.docs[1].chunk, v1.docs[1].chunk);
});

test('YAML inside a block literal maps back to exact outer positions (LF and CRLF)', () => {
  for (const eol of ['\n', '\r\n']) {
    const file = parseManifest('u', 1, GATE_PATCH_LINES.join(eol) + eol);
    const doc = file.docs[0];
    const patch = doc.scalar(['patches', 0, 'patch'])!;
    const nested = doc.nestedYaml(patch)!;
    const value = nodeAt(nested.root, [0, 'value']);
    assert.ok(isScalar(value));
    assert.equal(value.text, '--feature-gates=ObjectLevelWorkloadIdentity=true');
    assert.deepEqual(doc.range(value), { start: { line: 4, character: 15 }, end: { line: 4, character: 63 } });
    const inner = nested.toInner(value.start)!;
    assert.equal(nested.text.slice(inner, inner + 15), '--feature-gates');
  }
});

test('YAML in a single-line quoted value and in base64 data', () => {
  const text =
    'stringData:\n  sops.azure-kv: \'{"clientId": "x"}\'\ndata:\n  sops.azure-kv: ' +
    Buffer.from('tenantId: t\nclientId: c\n').toString('base64') +
    '\n';
  const doc = parseManifest('u', 1, text).docs[0];
  const quoted = doc.nestedYaml(doc.scalar(['stringData', 'sops.azure-kv'])!)!;
  const clientId = nodeAt(quoted.root, ['clientId'])!;
  assert.equal(text.slice(clientId.start, clientId.end), '"x"');
  const encoded = doc.scalar(['data', 'sops.azure-kv'])!;
  const decoded = doc.nestedYaml(encoded, 'base64')!;
  assert.equal(decoded.exact, false);
  assert.equal(nodeAt(decoded.root, ['tenantId'])?.start, encoded.start);
});

test('locate finds the key or value under an offset', () => {
  const text = 'spec:\n  provider: azure\n';
  const root = parseManifest('u', 1, text).docs[0].root;
  const onKey = locate(root, text.indexOf('provider') + 2);
  assert.deepEqual(onKey.path, ['spec', 'provider']);
  assert.equal(onKey.onKey, true);
  const onValue = locate(root, text.indexOf('azure') + 1);
  assert.equal(onValue.onKey, false);
  assert.equal(onValue.scalar?.text, 'azure');
});

test('aliases are not expanded (alias bombs stay cheap)', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 12; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
    );
  const doc = parseManifest('u', 1, bomb.join('\n') + '\n').docs[0];
  const last = nodeAt(doc.root, ['l', 0]);
  assert.equal(last?.type, 'alias');
});

// A real fleet (mspnp/aks-baseline) has CRLF files of commented-out manifests: the header scan once backtracked
// exponentially over CRLF comment lines and never finished on 26 of them. The timeout only turns a hang into a failure.
test(
  'a CRLF file with many comment lines before a manifest is read (kind and name), with or without a flow map',
  { timeout: 60000 },
  () => {
    const comments = Array.from({ length: 40 }, (_, i) => `# line ${i} of a commented-out manifest`).join('\r\n');
    const file = parseManifest(
      'file:///ns.yaml',
      1,
      `${comments}\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: cluster-baseline-settings\r\n`,
    );
    assert.equal(file.docs[0].kind, 'Namespace');
    assert.equal(file.docs[0].name, 'cluster-baseline-settings');
    const flow = parseManifest(
      'file:///flow.yaml',
      1,
      `${comments}\r\n{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\r\n`,
    );
    assert.equal(flow.docs[0].kind, 'Namespace');
    assert.equal(flow.docs[0].name, 'flow');
    const onlyComments = parseManifest('file:///c.yaml', 1, `${comments}\r\n`);
    assert.equal(onlyComments.docs[0]?.kind, undefined);
  },
);

test('lines end at \\n, \\r\\n and a lone \\r, as LSP editors count them, also after edits that make or take one', () => {
  const uri = 'file:///cr.yaml';
  const sameAsEditor = (text: string, file: ReturnType<typeof parseManifest>) => {
    const editor = TextDocument.create(uri, 'yaml', 1, text);
    assert.equal(file.lines.lineCount, editor.lineCount, JSON.stringify(text));
    for (let offset = 0; offset <= text.length; offset++)
      if (!(text[offset] === '\n' && text[offset - 1] === '\r'))
        // (not between the two of a \r\n)
        assert.deepEqual(
          file.lines.positionAt(offset),
          editor.positionAt(offset),
          `${JSON.stringify(text)} @${offset}`,
        );
  };
  for (const text of ['a: 1\rb: 2\nc: 3\r\nd: 4', 'a: 1\r\r\nb: 2\r', '\r', 'x: 1\n'])
    sameAsEditor(text, parseManifest(uri, 1, text));
  // Each version parsed on the previous one (only the edited lines are searched again when no lone \r is around).
  let previous = parseManifest(uri, 1, 'a: 1\r\nb: 2\nc: 3\n');
  const versions = ['a: 1\rb: 2\nc: 3\n', 'a: 1\r\nb: 2\nc: 3\n', 'a: 1\r\nb: 2\rc: 3\n', 'a: 1\r\nb: 2\r\nc: 3\n'];
  versions.forEach((text, i) => {
    const file = parseManifest(uri, i + 2, text, previous);
    sameAsEditor(text, file);
    previous = file;
  });
});
