import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import { closeAll, extension, problems, runningExtension, waitFor } from '../helpers';

interface SnippetJson {
  prefix: string;
  description: string;
  body: string[];
}

/** The contributed snippets file (JSON with trailing commas). */
function contributedSnippets(): Record<string, SnippetJson> {
  const text = readFileSync(join(extension().extensionPath, 'snippets', 'flux-azure.code-snippets'), 'utf8');
  return JSON.parse(text.replace(/,(\s*\n\s*[\]}])/g, '$1')) as Record<string, SnippetJson>;
}

const KUSTOMIZATION_HEAD = [
  'apiVersion: kustomize.config.k8s.io/v1beta1',
  'kind: Kustomization',
  'resources:',
  '  - gotk-components.yaml',
  'patches:',
  '  ',
].join('\n');

describe('snippets in a real VS Code', () => {
  before(runningExtension);
  afterEach(closeAll);

  it('are offered by completion under the flux-azure- prefix', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'flux-azure-oci' });
    await vscode.window.showTextDocument(document);
    const labels = await waitFor('snippet completions', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        new vscode.Position(0, 14),
      );
      const snippets = (list?.items ?? [])
        .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
        .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return snippets.some((l) => l.startsWith('flux-azure-')) ? snippets : undefined;
    });
    assert.ok(labels.includes('flux-azure-ocirepository'), `got ${labels.join(', ')}`);
  });

  for (const [name, snippet] of Object.entries(contributedSnippets())) {
    it(`${snippet.prefix} inserts YAML our server accepts (${name})`, async () => {
      const patch = snippet.prefix.includes('-patch-');
      // A name of its own: a reused `Untitled-1` could hand back the previous test's document while it closes.
      const document = await vscode.workspace.openTextDocument(
        vscode.Uri.parse(`untitled:${snippet.prefix}-${process.pid}.yaml`),
      );
      const editor = await vscode.window.showTextDocument(document);
      if (patch) await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), KUSTOMIZATION_HEAD));
      assert.equal(document.languageId, 'yaml');
      const end = document.lineAt(document.lineCount - 1).range.end;
      editor.selection = new vscode.Selection(end, end);
      const inserted = await editor.insertSnippet(new vscode.SnippetString(snippet.body.join('\n')), end);
      assert.ok(inserted, 'the snippet was inserted');
      const text = document.getText();
      for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors.map(String), [], `valid YAML:\n${text}`);
      assert.ok(!/\$\{\d|\$\d/.test(text), 'no snippet syntax left');
      assert.deepEqual(await problems(document), [], text);
    });
  }
});
