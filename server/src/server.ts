import { createConnection, ProposedFeatures, type InitializeParams } from 'vscode-languageserver/node';
import { INITIALIZE_RESULT } from './capabilities';

// stdout carries the LSP stream when run with --stdio: route stray console output to stderr.
console.log = (...args: unknown[]) => console.error(...args);
console.info = console.log;

const connection = createConnection(ProposedFeatures.all);
// `initialize` is answered from static capabilities; the session (catalog, parser, rules, features) is loaded when
// the client sends `initialized`, so the client does not wait for it. Handlers are in place before any later message.
let initializeParams: InitializeParams | undefined;
connection.onInitialize((params) => {
  initializeParams = params;
  return INITIALIZE_RESULT;
});
connection.onInitialized(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded late on purpose, see above
  const { startSession } = require('./session') as typeof import('./session');
  startSession(connection, initializeParams);
});
connection.listen();
