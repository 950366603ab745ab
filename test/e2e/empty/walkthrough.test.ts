// A first-time user in a real VS Code: an empty folder open, not signed in to Azure. The Flux on Azure views show
// their welcome content, the walkthrough opens, and "Open Example Fleet…" copies the shipped fleet, whose one
// deliberate mistake is then reported, with the quick fix the walkthrough describes.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FluxAzureContext } from '../../../client/src/context';
import { resetAzureSettings } from '../azureSettings';
import { closeAll, EXTENSION_ID, runningExtension, screenshot, waitFor } from '../helpers';

/** A sentence of the first step's page (walkthrough/steps/open-fleet.md) as the webview renders it. */
const STEP_PAGE = /copies a small Flux repository into a folder you pick/;

let api: FluxAzureContext;
let folder: string;

/** Every file below `dir`, relative, sorted. */
function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('A first-time user (empty workspace, signed out) in a real VS Code', () => {
  before(async function () {
    this.timeout(120_000);
    await resetAzureSettings();
    api = await runningExtension();
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder, 'a workspace folder is open');
    assert.deepEqual(files(folder), [], 'the folder starts empty');
  });

  after(closeAll);

  it('both Flux on Azure views show their welcome content (screenshot test-results/welcome.png)', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.fluxAzure');
    await waitFor('the welcome states', async () =>
      api.azure.welcome.get('fluxAzure.access') === 'signedOut' &&
      api.azure.welcome.get('fluxAzure.readiness') === 'noFluxObjects'
        ? true
        : undefined,
    );
    assert.deepEqual(await api.azure.access.getChildren(), [], 'My Access lists nothing: VS Code shows the welcome');
    assert.deepEqual(await api.azure.readiness.getChildren(), []);
    const shown = await waitFor('the welcome text on screen', async () => {
      const text = await screenshot('welcome.png');
      if (text === undefined) return '(no screenshot support)';
      return /Not signed in to Azure/.test(text) && /No Flux objects that use Azure/.test(text) ? text : undefined;
    });
    if (shown !== '(no screenshot support)') {
      assert.match(shown, /Sign In to Azure/, 'the sign-in button');
      assert.match(shown, /Open Example Fleet/, 'the example-fleet button');
    }
  });

  it('the walkthrough opens on its steps (screenshot test-results/walkthrough.png)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar'); // room for the step's page beside the list
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${EXTENSION_ID}#fluxAzure.gettingStarted`,
      false,
    );
    // The step list first, then the first step's page: a webview that renders after the list. The picture is the
    // one taken once both are on screen (the text of the page's frames includes the webview's).
    const shown = await waitFor(
      'the walkthrough and its first step on screen',
      async () => {
        const text = await screenshot('walkthrough.png');
        if (text === undefined) return '(no screenshot support)';
        return /Flux for Azure: Get Started/.test(text) && STEP_PAGE.test(text) ? text : undefined;
      },
      30_000,
    );
    if (shown !== '(no screenshot support)')
      for (const step of [
        'Open the example fleet',
        'See a finding and its quick fix',
        'Add a controller patch',
        'Sign in and open Flux Readiness',
        'Run the checks in CI',
      ])
        assert.ok(shown.includes(step), `step "${step}" is shown`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Open Example Fleet copies the fleet, opens the mistake, reports it, and its quick fix removes it', async function () {
    this.timeout(120_000);
    const dest = await vscode.commands.executeCommand<string>('fluxAzure.openExampleFleet', { target: folder });
    assert.equal(dest, folder, 'an empty folder is used as it is');
    const shipped = join(api.extension.extensionPath, 'walkthrough', 'fleet');
    assert.deepEqual(files(folder), files(shipped));
    const mistake = vscode.Uri.file(join(folder, 'apps', 'podinfo.yaml'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, mistake.fsPath, 'the mistake is open');

    const diagnostic = await waitFor(
      'the gate-missing finding',
      async () =>
        vscode.languages
          .getDiagnostics(mistake)
          .find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'flux-azure/gate-missing'),
      60_000,
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(
      vscode.window.activeTextEditor!.document.lineAt(diagnostic.range.start.line).text,
      /serviceAccountName/,
    );
    // The language status item names the cluster and the Flux version the walkthrough says.
    await waitFor('the status item', async () =>
      api.status.item.text === 'Flux clusters/production v2.7.2' ? true : undefined,
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      mistake,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
      10, // resolve the edits
    );
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, `a preferred quick fix with an edit among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await vscode.workspace.saveAll(false);
    const patched = await vscode.workspace.openTextDocument(
      vscode.Uri.file(join(folder, 'clusters', 'production', 'flux-system', 'kustomization.yaml')),
    );
    assert.match(patched.getText(), /--feature-gates=ObjectLevelWorkloadIdentity=true/);
    await waitFor('the finding to go', async () =>
      vscode.languages
        .getDiagnostics(mistake)
        .some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'flux-azure/gate-missing')
        ? undefined
        : true,
    );
  });
});
