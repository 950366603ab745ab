// The parsed-YAML memory budget belongs to one language service: a second service in the same process (the CLI, a
// test, the warm-up) neither evicts the first one's parses nor counts against its budget.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseManifest, ParseBudget } from '../../server/src/document/manifest';

const doc = (name: string) =>
  ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `  name: ${name}`, '  namespace: flux-system', ''].join('\n');

function parsedFile(uri: string, budget: ParseBudget) {
  const file = parseManifest(uri, 1, doc(uri.replace(/\W/g, '-')), undefined, undefined, budget);
  for (const d of file.docs) void d.chunk.parsed;
  return file;
}

test('parses past the budget are dropped, oldest first, and come back equal', () => {
  const budget = new ParseBudget(150);
  const files = ['file:///a.yaml', 'file:///b.yaml', 'file:///c.yaml'].map((u) => parsedFile(u, budget));
  assert.ok(budget.heldChars <= 150);
  assert.equal(files[0].docs[0].chunk.isParsed, false, 'the oldest parse is dropped');
  assert.equal(files[2].docs[0].chunk.isParsed, true, 'the newest parse stays');
  const again = files[0].docs[0].chunk.parsed;
  assert.ok(again, 'a dropped parse is made again on access');
});

test("one service's parses do not evict another's", () => {
  const session = new ParseBudget(150);
  const kept = parsedFile('file:///session.yaml', session);
  const cli = new ParseBudget(150);
  for (let i = 0; i < 20; i++) parsedFile(`file:///cli-${i}.yaml`, cli);
  assert.equal(kept.docs[0].chunk.isParsed, true);
  assert.ok(session.heldChars > 0 && session.heldChars <= 150);
});

test('the active document keeps every parse whatever the budget', () => {
  const budget = new ParseBudget(150);
  const active = parsedFile('file:///active.yaml', budget);
  budget.keepActive(active);
  for (let i = 0; i < 20; i++) parsedFile(`file:///other-${i}.yaml`, budget);
  assert.equal(active.docs[0].chunk.isParsed, true);
  budget.keepActive(undefined);
  for (let i = 0; i < 20; i++) parsedFile(`file:///later-${i}.yaml`, budget);
  assert.equal(active.docs[0].chunk.isParsed, false, 'once no longer active, its parse is subject to the budget');
});
