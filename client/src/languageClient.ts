import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { EXTENSION_SOURCE, SETTINGS_SECTION } from '../../shared/src/protocol';
import { redactingChannel } from './traceChannel';
import { resolveSettings } from './yamlSchemaServer';

/** Whether VS Code reports an extension installed (enabled) under this id. */
const installed = (id: string): boolean => !!vscode.extensions.getExtension(id);

/**
 * Node options for the server process (package.json `fluxAzure.serverNodeOptions`, which the benchmark reads too): a
 * small young generation keeps an idle server's memory near what it holds (fleet of 2,000 apps: about 217 -> 150 MB idle; 2 MB saved little more and cost GC time with many open files).
 */
function serverNodeOptions(context: vscode.ExtensionContext): string[] {
  const options: unknown = (context.extension.packageJSON as { fluxAzure?: { serverNodeOptions?: unknown } }).fluxAzure
    ?.serverNodeOptions;
  return Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [];
}

/** Starts the bundled server (server/out/server.js) over IPC for YAML files on disk. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const env = serverEnvironment(context);
  const execArgv = serverNodeOptions(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env, execArgv } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { env, execArgv: [...execArgv, '--nolazy', '--inspect=6010'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // No `fileEvents` here: the server registers its own watcher for YAML files (dynamic registration of
    // workspace/didChangeWatchedFiles, server/src/session.ts); a second one on this side sent every change twice.
    synchronize: { configurationSection: SETTINGS_SECTION },
    middleware: {
      workspace: {
        // `yamlSchemaServer: auto` is decided here, where the installed extensions are known.
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) return values;
          return values.map((value, i) =>
            params.items[i]?.section === SETTINGS_SECTION
              ? resolveSettings(value as Record<string, unknown>, installed)
              : value,
          );
        },
      },
    },
    outputChannel: output,
    traceOutputChannel: redactingChannel(output),
    diagnosticCollectionName: EXTENSION_SOURCE,
  };
  return new LanguageClient('fluxAzure', 'Flux for Azure', serverOptions, clientOptions);
}

/**
 * What the server process gets on top of VS Code's environment (the client merges the two). The server makes no
 * network calls, so it skips loading extra CA certificates (`NODE_EXTRA_CA_CERTS`, often a large corporate bundle
 * that Node reads before running any code: ~35 ms of start-up here); its compiled code is cached in the extension's
 * global storage (server/src/codeCache.ts).
 */
export function serverEnvironment(context: Pick<vscode.ExtensionContext, 'globalStorageUri'>): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: '',
    FLUX_AZURE_CODE_CACHE: vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath,
  };
}
