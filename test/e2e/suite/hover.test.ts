import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findKeyInKind, hoverText, waitFor } from '../helpers';
import { recordMetric } from '../metrics';

describe('hover in a real VS Code', () => {
  it('explains spec.provider of an OCIRepository with the AcrPull role', async () => {
    const { uri, position } = await findKeyInKind('OCIRepository', 'provider', 'oci.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const started = Date.now();
    let last = '';
    // The server may still be starting: retry until our hover arrives rather than sleeping.
    const text = await waitFor(
      'a hover mentioning AcrPull',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          uri,
          position,
        );
        last = hoverText(hovers ?? []);
        return last.includes('AcrPull') ? last : undefined;
      },
      20_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last hover at ${uri.fsPath}:${position.line + 1}: ${JSON.stringify(last)}`);
    });
    recordMetric('hoverMs', Date.now() - started);
    assert.match(text, /AcrPull/);
    assert.match(text, /source-controller/);
  });
});
