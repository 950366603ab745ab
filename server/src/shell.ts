import { join } from 'node:path';
import * as lsp from 'vscode-languageserver/node';
import { createConnection, ProposedFeatures, type InitializeParams } from 'vscode-languageserver/node';
import { INITIALIZE_RESULT } from './capabilities';
import { captureCodeCache, loadBundle, saveCodeCaches } from './codeCache';

// stdout carries the LSP stream when run with --stdio: route stray console output to stderr.
console.log = (...args: unknown[]) => console.error(...args);
console.info = console.log;

const connection = createConnection(ProposedFeatures.all);
// `initialize` is answered from static capabilities; the session (catalog, parser, rules, features) is a separate
// bundle loaded when the client sends `initialized`, so the client does not wait for it. Handlers are in place before
// any later message. The session bundle shares this bundle's copy of the protocol library.
let initializeParams: InitializeParams | undefined;
connection.onInitialize((params) => {
  initializeParams = params;
  return INITIALIZE_RESULT;
});
connection.onInitialized(() => {
  captureCodeCache(__filename);
  const session = loadBundle(join(__dirname, 'session.js'), {
    'vscode-languageserver': lsp,
    'vscode-languageserver/node': lsp,
  }) as typeof import('./session');
  session.startSession(connection, initializeParams, { warm: saveCodeCaches });
});
connection.listen();
