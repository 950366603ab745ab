// The Problems panel right after the folder opens: the example fleet's deliberate mistakes (examples/README.md,
// "Deliberate mistakes") are reported in their files although nobody opened them (fluxAzure.diagnostics.scope
// defaults to `workspace`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runningExtension, waitFor } from '../helpers';
import { recordMetric } from '../metrics';

/** File, line (1-based) and code of each deliberate mistake. */
const MISTAKES: readonly [string, number, string][] = [
  ['apps/staging/canary.yaml', 26, 'flux-azure/sa-missing-annotations'],
  ['infrastructure/storage/staging/terraform-outputs.yaml', 37, 'flux-azure/send-chain-quoting'],
  ['clusters/staging/flux-system/kustomization.yaml', 84, 'flux-azure/wi-use-label-not-string'],
  ['apps/staging/canary.yaml', 53, 'flux-azure/acr-host-mismatch'],
  ['apps/production/image-automation.yaml', 12, 'flux-azure/gate-missing'],
  ['infrastructure/sources/platform-policies.yaml', 12, 'flux-azure/ado-url-format'],
  ['infrastructure/notifications/production/providers.yaml', 33, 'flux-azure/eventhub-address-channel'],
  ['infrastructure/storage/staging/fleet-config.yaml', 33, 'flux-azure/object-level-wi-unsupported-version'],
];

function found(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'flux-azure')
    .map((d) => `${d.range.start.line + 1} ${String(typeof d.code === 'object' ? d.code.value : d.code)}`);
}

describe('workspace diagnostics in a real VS Code', () => {
  it("shows the example's deliberate mistakes in files that were never opened", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'examples/ is open as the workspace');
    const started = Date.now();
    await runningExtension();
    const opened = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const closed = MISTAKES.filter(([file]) => !opened.has(vscode.Uri.joinPath(folder.uri, file).toString()));
    // Other suites open a file or two of examples/; most of the mistakes sit in files no test opens.
    assert.ok(closed.length >= 6, `${closed.length} of the mistakes are in files never opened`);
    for (const [file, line, code] of closed) {
      const uri = vscode.Uri.joinPath(folder.uri, file);
      await waitFor(`${code} at ${file}:${line} in the Problems panel`, async () =>
        found(uri).includes(`${line} ${code}`) ? true : undefined,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; found there: ${JSON.stringify(found(uri))}`);
      });
    }
    recordMetric('workspaceDiagnosticsMs', Date.now() - started);
    // Still unopened: the diagnostics came from the files on disk, not from an editor.
    const now = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    for (const [file] of closed) assert.ok(!now.has(vscode.Uri.joinPath(folder.uri, file).toString()), file);
  });
});
