import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { EXTENSION_SOURCE, SETTINGS_SECTION } from '../../shared/src/protocol';
import { redactingChannel } from './traceChannel';

/** Starts the bundled server (server/out/server.js) over IPC for YAML files on disk. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    outputChannel: output,
    traceOutputChannel: redactingChannel(output),
    diagnosticCollectionName: EXTENSION_SOURCE,
  };
  return new LanguageClient('fluxAzure', 'Flux for Azure', serverOptions, clientOptions);
}
