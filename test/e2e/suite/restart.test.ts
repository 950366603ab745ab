import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, findKeyInKind, hoverText, waitFor } from '../helpers';

/** The language server process dies (OOM killer, a crash): the client restarts it and the features come back. */
describe('language server restart in a real VS Code', () => {
  it('restarts a killed server and answers hovers again', async () => {
    const ctx = await extension().activate();
    const { uri, position } = await findKeyInKind('OCIRepository', 'provider', 'oci.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const hover = async () =>
      hoverText(
        (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [],
      );
    await waitFor('a first hover', async () => ((await hover()).includes('AcrPull') ? true : undefined));
    // The LanguageClient keeps the child process it spawned for IPC servers.
    const child = (ctx.client as unknown as { _serverProcess?: { pid?: number } })._serverProcess;
    assert.ok(child?.pid, 'the server runs as a child process');
    const before = child.pid;
    process.kill(before, 'SIGKILL');
    const after = await waitFor(
      'a restarted server answering hovers',
      async () => {
        const now = (ctx.client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;
        if (!now || now === before) return undefined;
        return (await hover()).includes('AcrPull') ? now : undefined;
      },
      60_000,
    );
    assert.notEqual(after, before);
  });
});
