import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, findKeyInKind, waitFor } from '../helpers';
import { recordMetric } from '../metrics';

describe('activation in a real VS Code', () => {
  it('activates on a Flux YAML file and starts the language server', async () => {
    const { uri } = await findKeyInKind('OCIRepository', 'provider', 'oci.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'yaml');

    const ext = extension();
    // onLanguage:yaml activates it; activate() just joins the activation already under way.
    const api = await waitFor('activation', async () => (ext.isActive ? ext.exports : await ext.activate()));
    assert.ok(api.client, 'activate() returns a context with the language client');
    assert.ok(api.client.isRunning(), `language client state is ${api.client.state}`);
    assert.ok(api.activationMs > 0, 'activation time is measured');
    recordMetric('activationMs', api.activationMs);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['fluxAzure.showServerLog', 'fluxAzure.restartServer']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });
});
