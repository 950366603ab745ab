import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, type ServerSettings } from '../../shared/src/protocol';

/** Wires documents and features to the LSP connection. The only module that touches the connection. */
export function startSession(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let hasConfiguration = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
      },
      serverInfo: { name: 'flux-azure-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (hasConfiguration) {
      const value = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<ServerSettings> | null;
      settings = { ...DEFAULT_SETTINGS, ...(value ?? {}) };
    }
    connection.console.info(`flux-azure language server ready (flux version setting: ${settings.fluxVersion || 'auto'})`);
  });

  connection.onHover(() => null);

  documents.listen(connection);
}
