import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startSession } from './session';

// stdout carries the LSP stream when run with --stdio: route stray console output to stderr.
console.log = (...args: unknown[]) => console.error(...args);
console.info = console.log;

const connection = createConnection(ProposedFeatures.all);
startSession(connection);
connection.listen();
