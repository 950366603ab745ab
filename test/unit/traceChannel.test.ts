import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { redactingChannel } from '../../client/src/traceChannel';

test('protocol traces never carry document text or credentials', () => {
  const lines: string[] = [];
  const fake = {
    name: 'x',
    appendLine: (v: string) => lines.push(v),
    append: (v: string) => lines.push(v),
  } as unknown as vscode.OutputChannel;
  const channel = redactingChannel(fake);
  const text = 'apiVersion: v1\nkind: Secret\nstringData:\n  clientSecret: LEAKMARKER-value\n';
  channel.appendLine(
    `[Trace] Sending notification 'textDocument/didOpen'.\nParams: ${JSON.stringify({ textDocument: { uri: 'file:///a.yaml', text } }, null, 4)}`,
  );
  channel.append(`Params: ${JSON.stringify({ contentChanges: [{ text: 'clientSecret: LEAKMARKER-2' }] })}`);
  channel.appendLine('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJMRUFLTUFSS0VSIn0.c2ln');
  assert.equal(lines.length, 3);
  for (const line of lines) assert.ok(!line.includes('LEAKMARKER') && !line.includes('eyJzdWIi'), line);
  assert.match(lines[0], /textDocument\/didOpen/);
  assert.match(lines[0], /"text": "<\d+ chars not logged>"/);
  assert.equal(channel.name, 'x');
});
