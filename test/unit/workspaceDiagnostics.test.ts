import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialGenerations } from '../../server/src/workspace/workspaceIndex';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { FindingsBasis } from '../../server/src/features/diagnostics';
import { WorkspaceDiagnostics } from '../../server/src/workspaceDiagnostics';

/**
 * The workspace pass over a stand-in host: which files it judges again, what it publishes, and its caps. (The real
 * service and server are driven in test/lsp/workspaceDiagnostics.test.ts.)
 */
function diag(message: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message };
}

function world(findings: Record<string, number>, caps = { maxFiles: 100, maxDiagnostics: 1000 }) {
  const found = new Map(Object.entries(findings));
  /** Files whose findings read a cross-file fact (generation `facts`). */
  const crossFile = new Set<string>();
  const open = new Set<string>();
  const slow = new Set<string>();
  /** Open documents waiting for their diagnostics. */
  const waiting = { now: false };
  let facts = 0;
  const judged: string[] = [];
  const published: { uri: string; count: number }[] = [];
  const basis = (uri: string): FindingsBasis => ({
    reads: crossFile.has(uri) ? 1 : 0,
    generations: { ...initialGenerations(), serviceAccounts: facts },
    docs: [],
  });
  const pass = new WorkspaceDiagnostics(
    {
      uris: () => found.keys(),
      isOpen: (uri) => open.has(uri),
      *judge(uri) {
        judged.push(uri);
        // The text is read first, as the service does.
        const n = found.get(uri);
        if (n === undefined) return undefined;
        // A slow file: long enough steps that the pass yields to other messages in the middle of it.
        for (let i = 0; slow.has(uri) && i < 3; i++) {
          const until = performance.now() + 10;
          while (performance.now() < until);
          yield;
        }
        return { diagnostics: Array.from({ length: n }, (_, i) => diag(`${uri} #${i}`)), basis: basis(uri) };
      },
      holds: (b) => b.reads === 0 || b.generations.serviceAccounts === facts,
      busy: () => waiting.now,
      publish: (uri, diagnostics) => published.push({ uri, count: diagnostics.length }),
      info: () => {},
      error: (message) => assert.fail(message),
    },
    { sliceMs: 5, debounceMs: 1, ...caps },
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
  return {
    pass,
    found,
    crossFile,
    open,
    slow,
    waiting,
    judged,
    published,
    settle,
    moveFacts: () => facts++,
  };
}

test('after the first pass, only files changed on disk or reading moved facts are judged again', async () => {
  const w = world({ a: 1, b: 0, c: 2, d: 0 });
  w.crossFile.add('c').add('d');
  w.pass.start();
  await w.settle();
  assert.deepEqual(w.judged.sort(), ['a', 'b', 'c', 'd']);
  // Files without findings are not published at all; those with findings are.
  assert.deepEqual(w.published, [
    { uri: 'a', count: 1 },
    { uri: 'c', count: 2 },
  ]);
  w.judged.length = w.published.length = 0;

  w.moveFacts();
  w.found.set('c', 0);
  w.pass.factsChanged();
  await w.settle();
  assert.deepEqual(w.judged.sort(), ['c', 'd'], 'only the cross-file readers');
  assert.deepEqual(w.published, [{ uri: 'c', count: 0 }], 'findings that vanish get an empty publish');
  w.judged.length = w.published.length = 0;

  w.pass.changedOnDisk(['a']);
  await w.settle();
  assert.deepEqual(w.judged, ['a']);
  assert.deepEqual(w.published, [], 'judged again with the same findings: nothing sent');

  w.found.delete('a');
  w.pass.deleted('a');
  assert.deepEqual(w.published, [{ uri: 'a', count: 0 }]);
});

test('closed files wait while open documents wait for their diagnostics', async () => {
  const w = world({ a: 1, b: 2 });
  w.waiting.now = true;
  w.pass.start();
  await w.settle();
  assert.deepEqual(w.judged, [], 'nothing judged while the editor waits');
  w.waiting.now = false;
  await w.settle();
  assert.deepEqual(w.judged.sort(), ['a', 'b']);
  assert.equal(w.published.length, 2);
});

test('open files are left to the editor; closed again, they are judged from disk and always published', async () => {
  const w = world({ a: 1, b: 0 });
  w.open.add('a');
  w.pass.start();
  await w.settle();
  assert.deepEqual(w.judged, ['b']);
  assert.deepEqual(w.published, []);
  w.open.delete('a');
  w.found.set('a', 0);
  assert.equal(w.pass.closed('a'), true);
  await w.settle();
  assert.deepEqual(w.published, [{ uri: 'a', count: 0 }], 'replaces what the editor published');
});

test('switched off, every published closed file is cleared; on again, judged again', async () => {
  const w = world({ a: 1, b: 2, c: 0 });
  w.pass.start();
  await w.settle();
  w.published.length = 0;
  w.pass.setEnabled(false);
  assert.deepEqual(
    w.published.sort((x, y) => x.uri.localeCompare(y.uri)),
    [
      { uri: 'a', count: 0 },
      { uri: 'b', count: 0 },
    ],
  );
  assert.equal(w.pass.closed('a'), false, 'a closed file is then the caller to clear');
  w.published.length = 0;
  w.pass.setEnabled(true);
  await w.settle();
  assert.equal(w.published.length, 2);
});

test('the caps withhold files beyond them, and publish them once others have room', async () => {
  const w = world({ a: 3, b: 3, c: 3, d: 0 }, { maxFiles: 10, maxDiagnostics: 7 });
  w.pass.start();
  await w.settle();
  assert.deepEqual(w.published, [
    { uri: 'a', count: 3 },
    { uri: 'b', count: 3 },
  ]);
  w.published.length = 0;
  w.found.set('a', 0);
  w.pass.changedOnDisk(['a']);
  await w.settle();
  assert.deepEqual(w.published, [
    { uri: 'a', count: 0 },
    { uri: 'c', count: 3 },
  ]);
});

test('a file deleted while it is being judged gets its empty publish, and not the findings judged from the old text', async () => {
  const w = world({ slow: 2 });
  w.slow.add('slow');
  w.pass.start();
  // The pass is inside the slow file now, waiting for its next slice.
  assert.deepEqual(w.judged, ['slow']);
  w.found.delete('slow');
  w.pass.deleted('slow');
  await w.settle();
  assert.deepEqual(w.published, [{ uri: 'slow', count: 0 }]);
});
