import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import {
  PatchCommands,
  PatchContextRequest,
  PatchEditRequest,
  type PatchContext,
  type PatchEditResult,
} from '../../shared/src/protocol';
import { applyEdit, EXAMPLES, examplesServer, fileUri } from './lspClient';

const { client, ready } = examplesServer();

const KUSTOMIZATION = join(EXAMPLES, 'clusters', 'production', 'flux-system', 'kustomization.yaml');

test('fluxAzure/patchContext answers with the target, the actions and the IDs of the workspace', async () => {
  await ready;
  const uri = fileUri(KUSTOMIZATION);
  const context = (await client.connection.sendRequest(PatchContextRequest.method, { uri })) as PatchContext;
  assert.equal(context.target?.uri, uri);
  assert.equal(context.fluxVersion, '2.7');
  assert.deepEqual(
    context.actions.map((a) => a.id),
    ['aksWorkloadIdentity', 'nonAksWorkloadIdentity', 'appCertificate', 'objectLevelWorkloadIdentity', 'lockdown'],
  );
  assert.ok(context.clientIds.some((c) => c.id === '9a93935d-67a2-478c-94e4-41e9199e7e43'));
  assert.deepEqual(
    context.clouds.map((c) => c.id),
    ['public', 'usgov', 'china'],
  );
});

test('refactor code actions carry the patch commands; fluxAzure/patchEdit returns a versioned edit', async () => {
  await ready;
  const uri = fileUri(KUSTOMIZATION);
  const text = readFileSync(KUSTOMIZATION, 'utf8');
  client.open(uri, text);
  const actions = (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['refactor'] },
  })) as CodeAction[];
  assert.ok(actions.some((a) => a.command?.command === PatchCommands.lockdown));
  const result = (await client.connection.sendRequest(PatchEditRequest.method, {
    uri,
    action: 'lockdown',
    controllers: ['source-controller'],
    serviceAccount: 'tenant',
  })) as PatchEditResult;
  assert.equal(result.error, undefined);
  const change = (result.edit as { documentChanges: TextDocumentEdit[] }).documentChanges[0]!;
  assert.equal(change.textDocument.version, client.version(uri), 'the edit is for the open version');
  const edited = applyEdit(text, result.edit as WorkspaceEdit, uri);
  assert.match(edited, /--default-service-account=tenant/);
  client.change(uri, edited);
  const again = (await client.connection.sendRequest(PatchEditRequest.method, {
    uri,
    action: 'lockdown',
    controllers: ['source-controller'],
    serviceAccount: 'tenant',
  })) as PatchEditResult;
  assert.equal(again.edit, undefined, 'nothing left to change');
  client.close(uri);
});
