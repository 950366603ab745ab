import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { EditableText } from '../../server/src/editableText';

/** Positions and offsets as the library computes them on a fresh document of the same text. */
function assertSameAsFresh(doc: EditableText, text: string, label: string, random: () => number): void {
  const fresh = TextDocument.create(doc.uri, 'yaml', doc.version, text);
  assert.equal(doc.lineCount, fresh.lineCount, `${label}: line count`);
  const length = fresh.getText().length;
  for (let i = 0; i < 40; i++) {
    const offset = Math.floor(random() * (length + 3)) - 1;
    assert.deepEqual(doc.positionAt(offset), fresh.positionAt(offset), `${label}: positionAt(${offset})`);
    const position = { line: Math.floor(random() * (fresh.lineCount + 2)) - 1, character: Math.floor(random() * 30) };
    assert.equal(doc.offsetAt(position), fresh.offsetAt(position), `${label}: offsetAt(${JSON.stringify(position)})`);
  }
  for (let line = 0; line < fresh.lineCount; line += Math.max(1, Math.floor(fresh.lineCount / 50)))
    assert.equal(
      doc.offsetAt({ line, character: 0 }),
      fresh.offsetAt({ line, character: 0 }),
      `${label}: line ${line}`,
    );
}

/** The text the library gives for one change applied to `before` (a fresh document each time: the reference). */
function reference(before: string, change: TextDocumentContentChangeEvent): string {
  return TextDocument.update(TextDocument.create('file:///r.yaml', 'yaml', 1, before), [change], 2).getText();
}

function seeded(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const PIECES = ['a', 'xyz', '\n', '\r\n', '\r', '  name: x\n', 'é', 'ü\n', '名前', '😀', '\n\n\n', '- item\r\n', ''];

for (const [name, size, steps] of [
  ['a short file', 40, 300],
  ['a file past the buffer threshold', 9000, 300],
  ['a short file, many changes between reads', 200, 2000],
] as const)
  test(`editable text: random edits of ${name} give the library's text, lines and positions`, () => {
    const random = seeded(size * 7 + 1);
    const pick = () => PIECES[Math.floor(random() * PIECES.length)]!;
    let text = '';
    for (let i = 0; i < size; i++) text += random() < 0.3 ? pick() : 'key: value ';
    // Latin-1 only at first (the one-byte path), then anything (the UTF-16 path).
    text = text.replace(/[\u0100-\uffff]/g, '?');
    const doc = new EditableText('file:///t.yaml', 'yaml', 1, text);
    for (let step = 0; step < steps; step++) {
      const fresh = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
      const at = () => ({
        line: Math.floor(random() * (fresh.lineCount + 1)),
        character: Math.floor(random() * 25),
      });
      const r = random();
      const change: TextDocumentContentChangeEvent =
        r < 0.03
          ? { text: `${pick()}fresh: text\n${pick()}` }
          : { range: { start: at(), end: random() < 0.5 ? at() : at() }, text: random() < 0.3 ? '' : pick() + pick() };
      text = reference(text, change);
      doc.update([change], step + 2);
      assert.equal(doc.version, step + 2);
      // Positions are answered with changes still unapplied; the text is read now and then (applying them all).
      if (step % 10 === 0 || step > steps - 10) assertSameAsFresh(doc, text, `step ${step}`, random);
      if (random() < (steps > 300 ? 0.01 : 0.25) || step === steps - 1)
        assert.equal(doc.getText(), text, `step ${step}: text`);
    }
  });

test('editable text: several changes in one notification apply in order; a reversed range is accepted', () => {
  const doc = new EditableText('file:///t.yaml', 'yaml', 1, 'spec:\n  provider: generic\n');
  doc.update(
    [
      { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 19 } }, text: 'azure' },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '  interval: 5m\n' },
      { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 0 } }, text: 'SPEC' },
    ],
    2,
  );
  assert.equal(doc.getText(), 'SPEC:\n  provider: azure\n  interval: 5m\n');
  assert.deepEqual(doc.positionAt(doc.getText().indexOf('interval')), { line: 2, character: 2 });
});

test('editable text: a lone \\r followed by an inserted \\n becomes one line break', () => {
  const doc = new EditableText('file:///t.yaml', 'yaml', 1, 'a\rb');
  assert.equal(doc.lineCount, 2);
  doc.update([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\nX' }], 2);
  assert.equal(doc.getText(), 'a\r\nXb');
  assert.equal(doc.lineCount, 2);
  assert.deepEqual(doc.positionAt(3), { line: 1, character: 0 });
});

test('editable text: a 1 MB file with a wide character keeps it through edits', () => {
  const line = 'metadata:\n  name: app\n';
  const text = `${line.repeat(50_000)}# 名前\n`;
  const doc = new EditableText('file:///big.yaml', 'yaml', 1, text);
  doc.update([{ range: { start: { line: 3, character: 11 }, end: { line: 3, character: 11 } }, text: 'x' }], 2);
  const expected = reference(text, {
    range: { start: { line: 3, character: 11 }, end: { line: 3, character: 11 } },
    text: 'x',
  });
  assert.equal(doc.getText(), expected);
  assert.ok(doc.getText().endsWith('# 名前\n'));
});
