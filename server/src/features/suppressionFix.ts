import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import type { ManifestFile } from '../document/manifest';
import { SUPPRESS_PREFIX } from './suppressions';

/** "Disable <code> for this line": inserts a suppression comment above the diagnostic's line, same indentation. */
export function suppressionFix(file: ManifestFile, diagnostic: Diagnostic): CodeAction | undefined {
  if (typeof diagnostic.code !== 'string') return undefined;
  const line = diagnostic.range.start.line;
  const text = file.lines.lineText(line);
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
  const short = diagnostic.code.replace(/^flux-azure\//, '');
  return {
    title: `Disable ${short} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: {
      documentChanges: [
        {
          textDocument: { uri: file.uri, version: file.version },
          edits: [
            {
              range: { start: { line, character: 0 }, end: { line, character: 0 } },
              newText: `${indent}# ${SUPPRESS_PREFIX}-next-line ${short}${eol}`,
            },
          ],
        },
      ],
    },
  };
}
