import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, FileStatusRequest, type FileStatus, type FileStatusCluster } from '../../shared/src/protocol';

/** How often the item asks again while the workspace scan runs. */
const INDEXING_POLL_MS = 500;
/** Edits and saves settle this long before the item asks again (a cluster's files or version may have changed). */
const SETTLE_MS = 1000;

/**
 * The language status item of YAML files (the `{ }` next to the language mode): the clusters and Flux version the
 * active file is judged against and where the version was found, the first scan's progress, and the server log.
 */
export class LanguageStatus implements vscode.Disposable {
  readonly item: vscode.LanguageStatusItem;
  /** The server's last answer for the active file (tests read it). */
  status: FileStatus | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private asked = 0;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item = vscode.languages.createLanguageStatusItem('fluxAzure.status', { language: 'yaml' });
    this.item.name = 'Flux for Azure';
    this.item.command = { title: 'Show Log', command: Commands.showServerLog, tooltip: 'Flux for Azure server log' };
    this.show(undefined);
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidSaveTextDocument(() => this.refreshLater(SETTLE_MS)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('fluxAzure') && this.refreshLater(0)),
    );
  }

  /** Asks the server about the active YAML file and shows the answer. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const editor = vscode.window.activeTextEditor;
    const client = this.client();
    if (!editor || editor.document.languageId !== 'yaml' || !client?.isRunning()) return;
    const uri = editor.document.uri;
    const asked = ++this.asked;
    let status: FileStatus | undefined;
    try {
      status = await client.sendRequest(FileStatusRequest, { uri: uri.toString() });
    } catch {
      status = undefined; // the server is restarting: the next editor change asks again
    }
    if (asked !== this.asked) return; // a newer question is on its way
    this.show(status);
    if (status?.indexing) this.refreshLater(INDEXING_POLL_MS);
  }

  private refreshLater(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private show(status: FileStatus | undefined): void {
    this.status = status;
    const view = describeStatus(status, (location) => {
      const at = vscode.Uri.parse(location.uri);
      return `${vscode.workspace.asRelativePath(at)}:${location.range.start.line + 1}`;
    });
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.busy = !!status?.indexing || !status;
    this.item.severity = view.warning
      ? vscode.LanguageStatusSeverity.Warning
      : vscode.LanguageStatusSeverity.Information;
    this.item.accessibilityInformation = { label: `Flux for Azure: ${view.text}. ${view.detail}` };
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Text and detail of the item for a server answer (`where` names a place in the workspace). */
function describeStatus(
  status: FileStatus | undefined,
  where: (location: NonNullable<FileStatusCluster['versionFrom']>) => string,
): { text: string; detail: string; warning: boolean } {
  if (!status) return { text: 'Flux: starting', detail: 'The language server is starting', warning: false };
  if (status.indexing) {
    const { read, found } = status.indexing;
    return {
      text: `Flux: indexing ${read}/${found} YAML files`,
      detail: 'Clusters and Flux versions are known once the first scan ends',
      warning: false,
    };
  }
  if (status.setting) {
    const clusters = status.clusters.map((c) => c.label).join(', ');
    return {
      text: `Flux ${status.setting}`,
      detail: `from the setting fluxAzure.fluxVersion${clusters ? ` (for ${clusters})` : ''}`,
      warning: false,
    };
  }
  if (status.clusters.length === 0) {
    return {
      text: 'Flux: no cluster',
      detail: 'No cluster of the workspace applies this file: checks that depend on the cluster stay silent',
      warning: false,
    };
  }
  const text = status.clusters.map((c) => `${c.label} ${c.fluxVersion ?? '(version unknown)'}`).join(' / ');
  const sources = status.clusters.map((c) =>
    c.versionFrom ? `${c.label}: ${where(c.versionFrom)}` : `${c.label}: the repository does not say`,
  );
  const judged =
    status.clusters.length > 1 && status.judgedWith ? `; version checks use the oldest, ${status.judgedWith}` : '';
  return {
    text: `Flux ${text}`,
    detail: `version from ${sources.join(', ')}${judged}`,
    warning: status.clusters.some((c) => !c.fluxVersion),
  };
}
