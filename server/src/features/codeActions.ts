import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Range,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { EXTENSION_SOURCE } from '../../../shared/src/protocol';
import type { ManifestFile } from '../document/manifest';
import type { FeatureContext } from './context';
import type { DiagnosticData } from './rules/rule';
import { suppressionFix } from './suppressionFix';
import { providePatchCodeActions } from './patchContext';

/**
 * Quick fixes come from the data each diagnostic carries (computed with it, never by re-parsing). Edits to the
 * document itself are versioned, so a client refuses to apply them to text that changed meanwhile.
 */
export function provideCodeActions(
  file: ManifestFile,
  range: Range,
  diagnostics: Diagnostic[],
  ctx: FeatureContext,
  only?: readonly string[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== EXTENSION_SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    for (const fix of data?.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.preferred ? { isPreferred: true } : {}),
        edit: toWorkspaceEdit(fix.edits, file, data!.version),
      });
    }
    const suppress = suppressionFix(file, diagnostic);
    if (suppress) actions.push(suppress);
  }
  // Refactors that insert controller patches (they run a client command that asks for the inputs).
  if (!only || only.some((k) => 'refactor.rewrite'.startsWith(k)))
    actions.push(...providePatchCodeActions(file, range, ctx));
  return actions;
}

function toWorkspaceEdit(
  edits: DiagnosticData['fixes'][number]['edits'],
  file: ManifestFile,
  version: number,
): WorkspaceEdit {
  const documentChanges: TextDocumentEdit[] = Object.entries(edits).map(([uri, list]) => ({
    textDocument: { uri, version: uri === file.uri ? version : null },
    edits: [...list],
  }));
  return { documentChanges };
}
