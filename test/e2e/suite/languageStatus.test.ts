import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAll, runningExtension, waitFor } from '../helpers';

describe('Language status item in a real VS Code', () => {
  after(closeAll);

  it('names the clusters and Flux versions of the active file and where the versions are written', async () => {
    const ctx = await runningExtension();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    const shared = vscode.Uri.file(join(folder, 'infrastructure', 'sources', 'contoso-charts.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(shared));
    // The first scan may still run: the item shows its progress until then.
    const text = await waitFor('the clusters in the status item', async () =>
      ctx.status.item.text.includes('clusters/') ? ctx.status.item.text : undefined,
    );
    assert.equal(text, 'Flux clusters/production v2.7.2 / clusters/staging v2.6.3');
    assert.match(ctx.status.item.detail ?? '', /clusters\/production\/flux-system\/gotk-components\.yaml:3/);
    assert.match(ctx.status.item.detail ?? '', /the oldest, 2\.6/);
    assert.equal(ctx.status.item.command?.command, 'fluxAzure.showServerLog');

    // A clean file: the workspace-diagnostics suite counts on the files with mistakes staying unopened.
    const overlay = vscode.Uri.file(join(folder, 'apps', 'staging', 'kustomization.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(overlay));
    await waitFor('the staging-only status', async () =>
      ctx.status.item.text === 'Flux clusters/staging v2.6.3' ? true : undefined,
    );
  });
});
