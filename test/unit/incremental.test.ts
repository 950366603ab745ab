import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest, type ManifestFile } from '../../server/src/document/manifest';

const REPO = join(__dirname, '..', '..', '..');

function shape(file: ManifestFile) {
  return file.docs.map((d) => ({ offset: d.offset, text: d.chunk.text }));
}

/** Every offset's position and every line's start, as a fresh index computes them. */
function assertSameLines(actual: ManifestFile, expected: ManifestFile, label: string): void {
  assert.equal(actual.lines.lineCount, expected.lines.lineCount, label);
  for (let line = 0; line < expected.lines.lineCount; line++)
    assert.equal(actual.lines.lineStart(line), expected.lines.lineStart(line), `${label}: line ${line}`);
  for (let offset = 0; offset <= expected.text.length; offset += 7)
    assert.deepEqual(actual.lines.positionAt(offset), expected.lines.positionAt(offset), `${label}: offset ${offset}`);
}

test('an edited file is split and indexed as a fresh parse would, reusing the unchanged documents', () => {
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const base = readFileSync(
    join(REPO, 'examples', 'clusters', 'production', 'flux-system', 'kustomization.yaml'),
    'utf8',
  );
  const pieces = ['x', '\n', '---\n', '\n---\n', '...\n', '\n...', '-', '.', ' ', '\r\n', 'kind: A\n', '--', '\n--'];
  let text = ['a: 1', base, 'kind: B\nspec:\n  x: 1', '...', 'c: 3', base].join('\n---\n');
  let file = parseManifest('file:///x.yaml', 1, text);
  for (let version = 2; version < 400; version++) {
    // One or two edits, with the unchanged head and tail an editor's change events give (every other version).
    let head = Infinity;
    let tail = Infinity;
    for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits--) {
      const at = Math.floor(random() * (text.length + 1));
      const r = random();
      let end = at;
      let insert = '';
      if (r < 0.5) insert = pieces[Math.floor(random() * pieces.length)];
      else if (r < 0.9) end = Math.min(text.length, at + 1 + Math.floor(random() * 5));
      else end = at + /^[^\n]*/.exec(text.slice(at))![0].length;
      head = Math.min(head, at);
      tail = Math.min(tail, text.length - end);
      text = text.slice(0, at) + insert + text.slice(end);
    }
    const next = parseManifest('file:///x.yaml', version, text, file, version % 2 ? { head, tail } : undefined);
    const fresh = parseManifest('file:///x.yaml', version, text);
    assert.deepEqual(shape(next), shape(fresh), `version ${version}`);
    assertSameLines(next, fresh, `version ${version}`);
    // Documents whose text did not change keep their chunk (and so their parse and cached results).
    const before = new Map(file.docs.map((d) => [d.chunk.text, d.chunk]));
    const reused = next.docs.filter((d) => before.get(d.chunk.text) === d.chunk).length;
    assert.ok(reused >= Math.min(file.docs.length, next.docs.length) - 3, `version ${version}: reused ${reused}`);
    file = next;
  }
});

test('editing one document of a large file re-creates that document only', () => {
  const doc = (i: number) => `---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-${i}\n`;
  const text = Array.from({ length: 500 }, (_, i) => doc(i)).join('');
  const file = parseManifest('file:///big.yaml', 1, text);
  const at = text.indexOf('sa-250') + 6;
  const edited = parseManifest('file:///big.yaml', 2, text.slice(0, at) + 'x' + text.slice(at), file);
  const changed = edited.docs.filter((d, i) => d.chunk !== file.docs[i].chunk);
  assert.equal(changed.length, 1);
  assert.equal(changed[0].name, 'sa-250x');
  assert.equal(edited.docs[499].offset, file.docs[499].offset + 1);
});
