// Deactivation (client/src/shutDown.ts, called by FluxAzureContext.dispose): a language client that fails to stop
// must not leave the extension's commands, views and channels behind.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { shutDown } from '../../client/src/shutDown';

function disposables(names: string[], disposed: string[], failing?: string) {
  return names.map((name) => ({
    dispose: () => {
      disposed.push(name);
      if (name === failing) throw new Error(`${name} broke`);
    },
  }));
}

test('a client whose stop() rejects: everything is still disposed and the failure is logged', async () => {
  const disposed: string[] = [];
  const logged: string[] = [];
  const list = disposables(['output', 'azure', 'command'], disposed);
  const client = { stop: () => Promise.reject(new Error("Client is not running and can't be stopped")) };
  await shutDown(client, list, (line) => logged.push(line));
  assert.deepEqual(disposed.sort(), ['azure', 'command', 'output']);
  assert.equal(list.length, 0, 'nothing is disposed twice by a second call');
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /can't be stopped/);
});

test('a disposable that throws does not keep the others alive; the output channel, which logs, goes last', async () => {
  const disposed: string[] = [];
  const logged: string[] = [];
  await shutDown(
    { stop: async () => undefined },
    disposables(['output', 'azure', 'command'], disposed, 'azure'),
    (line) => logged.push(`${line} (output ${disposed.includes('output') ? 'closed' : 'open'})`),
  );
  assert.deepEqual(disposed, ['command', 'azure', 'output']);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /azure broke \(output open\)/);
});

test('no client (it never started): the disposables go all the same', async () => {
  const disposed: string[] = [];
  await shutDown(undefined, disposables(['output'], disposed), () => assert.fail('nothing to log'));
  assert.deepEqual(disposed, ['output']);
});
