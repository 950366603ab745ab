// What a screen reader hears in the Azure views: every item of both trees (the real providers and sessions against
// the stand-in, with ✓, ✗ and ? rows of every kind) has an accessible label, and that label says the state marks
// and symbols of the description in words; tooltips put the word beside the mark.
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { startStandIn, type StandIn } from './standIn';
import { cloudOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { render, TestController, walk, type Row } from './treeHarness';

let standIn: StandIn;
let catalog: IntegrationsResult;
let c: TestController;

before(async () => {
  standIn = await startStandIn();
  signInAsOperator();
  catalog = await examplesCatalog();
  c = new TestController(() => ({ cloud: cloudOf(standIn), method: 'environment', knownRoles }), catalog);
});

after(async () => {
  c?.dispose();
  await standIn?.stop();
});

/** Marks and symbols that a screen reader reads as their Unicode names, or not at all. */
const SYMBOLS = /[✓✗≠→·…]|(^|\s)\?(\s|$)/;

function assertSpoken(rows: readonly Row[]): void {
  assert.ok(rows.length > 10, render(rows));
  for (const row of rows) {
    assert.ok(row.spoken, `${row.text}: has an accessible label`);
    assert.doesNotMatch(row.spoken, SYMBOLS, `${row.text}: said as "${row.spoken}"`);
  }
}

test('Flux readiness: every item is said in words (in place, missing, unknown), the counts per cluster too', async () => {
  const rows = await walk(c.readiness);
  assertSpoken(rows);
  const byState = (mark: string) => rows.filter((r) => r.text.includes(` — ${mark} `));
  for (const [mark, word] of [
    ['✓', 'in place'],
    ['✗', 'missing'],
    ['?', 'unknown'],
  ] as const) {
    const marked = byState(mark);
    assert.ok(marked.length > 0, `a ${mark} row in\n${render(rows)}`);
    for (const row of marked) {
      assert.match(row.spoken!, new RegExp(`, ${word}: `), `${row.text}: said as "${row.spoken}"`);
      const capital = `${word[0]!.toUpperCase()}${word.slice(1)}`;
      assert.ok(row.tooltip.includes(`${mark} ${capital}: `), `tooltip of ${row.text} says "${capital}"`);
    }
  }
  const clusters = rows.filter((r) => r.depth === 0 && r.node.type === 'cluster');
  assert.ok(clusters.length >= 2);
  for (const row of clusters) {
    const [ok, missing, unknown] = /(\d+) ✓ +(\d+) ✗ +(\d+) \?/.exec(row.text)!.slice(1);
    assert.match(row.spoken!, new RegExp(`: ${ok} in place, ${missing} missing, ${unknown} unknown$`));
  }
});

test('My access: every item has an accessible label in words', async () => {
  assertSpoken(await walk(c.access));
});
