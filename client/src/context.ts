import * as vscode from 'vscode';
import { Commands } from '../../shared/src/protocol';
import { ExampleFleet } from './exampleFleet';
import { createLanguageClient } from './languageClient';
import { LanguageStatus } from './languageStatus';
import { patchCommandTable } from './patchCommands';
import { RenderedObjectView } from './renderedObject';
import { shutDown } from './shutDown';
import { AzureController } from './views/azureViews';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type LanguageClient,
} from 'vscode-languageclient/node';

/**
 * Owns the lifetimes of the extension: the output channel, the language client and the registered commands.
 * Tests reach the running client through the object `activate` returns.
 */
export class FluxAzureContext {
  readonly output: vscode.OutputChannel;
  client: LanguageClient | undefined;
  /** Milliseconds from activation start until the language server answered `initialize`. */
  activationMs = 0;
  /** The "Flux on Azure" views (Azure SDK loaded only when they are used). */
  readonly azure: AzureController;
  /** "Show rendered object" and its read-only documents. */
  readonly rendered: RenderedObjectView;
  /** The language status item of YAML files. */
  readonly status: LanguageStatus;
  /** The walkthrough's example fleet. */
  readonly exampleFleet: ExampleFleet;
  private readonly disposables: vscode.Disposable[] = [];
  private clientStarted!: (client: LanguageClient) => void;
  private readonly clientReady = new Promise<LanguageClient>((resolve) => (this.clientStarted = resolve));

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Flux for Azure');
    this.disposables.push(this.output);
    this.azure = new AzureController(() => this.clientReady, this.output);
    this.disposables.push(this.azure);
    this.rendered = new RenderedObjectView(() => this.client);
    this.disposables.push(this.rendered);
    this.status = new LanguageStatus(() => this.client);
    this.disposables.push(this.status);
    this.exampleFleet = new ExampleFleet(extension, async (files) => {
      await this.client?.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: files.map((uri) => ({ uri: uri.toString(), type: FileChangeType.Created })),
      });
    });
  }

  async start(): Promise<void> {
    const started = Date.now();
    this.registerCommands();
    try {
      this.client = createLanguageClient(this.extension, this.output);
      await this.client.start();
      this.clientStarted(this.client);
      // Red Hat's YAML extension installed or removed: `fluxAzure.yamlSchemaServer: auto` means something else now.
      const client = this.client;
      this.disposables.push(
        vscode.extensions.onDidChange(
          () => void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null }),
        ),
      );
      void this.status.refresh();
      void this.exampleFleet.resume();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      void vscode.window.showErrorMessage(`Flux for Azure: the language server failed to start: ${message}`);
      throw err;
    }
    this.activationMs = Date.now() - started;
    this.output.appendLine(`Flux for Azure activated in ${this.activationMs} ms`);
  }

  private registerCommands(): void {
    const table: Record<string, (...args: never[]) => unknown> = {
      [Commands.showServerLog]: () => this.output.show(true),
      [Commands.restartServer]: () => this.client?.restart(),
      ...patchCommandTable(() => this.client),
      ...this.azure.commandTable(),
      ...this.rendered.commandTable(),
      ...this.exampleFleet.commandTable(),
    };
    for (const [id, run] of Object.entries(table)) {
      this.disposables.push(vscode.commands.registerCommand(id, run));
    }
  }

  async dispose(): Promise<void> {
    await shutDown(this.client, this.disposables, (message) => this.output.appendLine(message));
  }
}
