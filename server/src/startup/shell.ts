import { join } from 'node:path';
import type { InitializeParams } from 'vscode-languageserver/node';
import { INITIALIZE_RESULT } from '../capabilities';
import { captureCodeCache, loadBundle, saveCodeCaches } from './codeCache';

// The library's CommonJS exports object itself (an `import * as` would make esbuild copy its hundreds of exports at
// start-up); the session bundle gets the same object.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lsp = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');

// stdout carries the LSP stream when run with --stdio: route stray console output to stderr.
console.log = (...args: unknown[]) => console.error(...args);
console.info = console.log;

// Messages dispatched so far: long work yields until a burst of queued messages has run (see `messages.ts`).
let dispatched = 0;
const connection = lsp.createConnection(lsp.ProposedFeatures.all, {
  messageStrategy: {
    handleMessage(message, next) {
      dispatched++;
      next(message);
    },
  },
});
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
    // the features' constants (CompletionItemKind, …): the protocol library re-exports the same objects
    'vscode-languageserver-types': lsp,
    // the typed requests of shared/src/protocol.ts (RequestType): the same library's objects
    'vscode-languageserver-protocol': lsp,
  }) as typeof import('../session');
  session.startSession(connection, initializeParams, { warm: saveCodeCaches, messagesDispatched: () => dispatched });
});
connection.listen();
