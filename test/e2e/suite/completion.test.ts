import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, waitFor } from '../helpers';
import { recordMetric } from '../metrics';

/**
 * A copy of a file of the examples workspace in an untitled editor: the test types into it as a user would, and
 * nothing reaches the disk (closing reverts it).
 */
async function openCopy(rel: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the examples folder is open');
  const content = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, rel))).toString(
    'utf8',
  );
  // The previous test's untitled editor may still be closing: make sure the editor shown holds this copy.
  for (let attempt = 0; ; attempt++) {
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument({ language: 'yaml', content }),
    );
    if (editor.document.getText() === content || attempt === 3) return editor;
    await closeAll();
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function discard(): Promise<void> {
  await vscode.commands.executeCommand('hideSuggestWidget');
  await closeAll();
}

/** Replaces `find` on its line by `typed` (as if typed), leaving the cursor after it. */
async function typeOver(editor: vscode.TextEditor, find: string, typed: string): Promise<vscode.Position> {
  const text = editor.document.getText();
  const offset = text.indexOf(find);
  assert.ok(offset >= 0, `'${find}' is in ${editor.document.uri.fsPath}`);
  const start = editor.document.positionAt(offset);
  const end = editor.document.positionAt(offset + find.length);
  editor.selection = new vscode.Selection(start, end);
  await vscode.commands.executeCommand('deleteLeft');
  await vscode.commands.executeCommand('type', { text: typed });
  return editor.selection.active;
}

/**
 * Opens the suggest widget and accepts the focused suggestion, retrying until the line changes (the language server
 * may still be indexing the workspace the first time).
 */
async function acceptSuggestion(editor: vscode.TextEditor, label: string): Promise<string> {
  const line = editor.selection.active.line;
  const before = editor.document.lineAt(line).text;
  const started = Date.now();
  const items = await waitFor(`a completion '${label}'`, async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      editor.selection.active,
    );
    return list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === label) ? list : undefined;
  });
  recordMetric('completionMs', Date.now() - started);
  assert.ok(items.items.length > 0);
  return waitFor(
    'the accepted suggestion in the text',
    async () => {
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await new Promise((r) => setTimeout(r, 300));
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
      const now = editor.document.lineAt(line).text;
      return now !== before ? editor.document.getText() : undefined;
    },
    20_000,
  );
}

describe('completion in a real VS Code', () => {
  afterEach(discard);

  it('completes a ServiceAccount name in an OCIRepository from the workspace index', async () => {
    const editor = await openCopy('apps/base/podinfo/source.yaml');
    await typeOver(editor, 'serviceAccountName: podinfo-source', 'serviceAccountName: podinfo-so');
    const text = await acceptSuggestion(editor, 'podinfo-source');
    assert.match(text, /\n {2}serviceAccountName: podinfo-source\n/);
  });

  it('completes an AZURE_* variable inside a `patch: |` block without duplicating the typed prefix', async () => {
    const editor = await openCopy('clusters/staging/flux-system/kustomization.yaml');
    await typeOver(editor, 'AZURE_AUTHORITY_HOST', 'AZURE_AUTHO');
    const text = await acceptSuggestion(editor, 'AZURE_AUTHORITY_HOST');
    assert.match(text, /\n {10}name: AZURE_AUTHORITY_HOST\n/);
  });

  it('inserts a missing Azure key as a snippet with the right indentation', async () => {
    const editor = await openCopy('apps/base/podinfo/source.yaml');
    await typeOver(editor, '  serviceAccountName: podinfo-source', '  secretR');
    const text = await acceptSuggestion(editor, 'secretRef');
    assert.match(text, /\n {2}provider: azure\n {2}secretRef:\n {4}name: /);
  });
});
