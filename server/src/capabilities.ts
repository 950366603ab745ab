import type { InitializeResult } from 'vscode-languageserver/node';
import { EXTENSION_SOURCE } from '../../shared/src/protocol';

// The library's exports object as is (see shell.ts).
const { CodeActionKind, TextDocumentSyncKind } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');

/**
 * What the server offers. Static, so that `initialize` is answered before the rest of the server (catalog, parser,
 * rules, features) is loaded: see shell.ts.
 */
export const INITIALIZE_RESULT: InitializeResult = {
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
    completionProvider: { triggerCharacters: [':', ' ', '/', '-', '.'], resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  },
  serverInfo: { name: `${EXTENSION_SOURCE}-language-server`, version: '0.1.0' },
};
