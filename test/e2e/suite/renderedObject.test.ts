import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands, RENDERED_OBJECT_SCHEME } from '../../../shared/src/protocol';
import type { ShowRenderedObjectArgs } from '../../../client/src/renderedObject';
import { closeAll, hoverText, runningExtension, waitFor } from '../helpers';

describe('Show rendered object in a real VS Code', () => {
  after(closeAll);

  it('opens the HelmRelease as production applies it, with the overlay patch as the origin of a value', async () => {
    await runningExtension();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    const release = vscode.Uri.file(join(folder, 'apps', 'base', 'podinfo', 'release.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(release));
    const args: ShowRenderedObjectArgs = { uri: release.toString(), line: 1, cluster: 'clusters/production' };
    // The server may still be scanning the workspace: retry until it renders the object.
    const shown = await waitFor(
      'the rendered document',
      async () => vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.showRenderedObject, args),
      30_000,
    );
    assert.equal(shown.scheme, RENDERED_OBJECT_SCHEME);
    const editor = await waitFor('the rendered editor', async () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown.toString()),
    );
    const text = editor.document.getText();
    assert.match(text, /^kind: HelmRelease$/m);
    assert.match(text, /^ {4}replicaCount: 3$/m, 'the production patch is applied');
    const line = text.split('\n').findIndex((l) => l === '    replicaCount: 3');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      shown,
      new vscode.Position(line, 6),
    );
    const hover = hoverText(hovers ?? []);
    assert.match(hover, /podinfo-values\.yaml/);
    assert.match(hover, /patch/);
  });
});
