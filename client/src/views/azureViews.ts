/**
 * The Azure permissions view's controller: reads the settings, owns the Azure session (created from the lazily
 * loaded chunk), asks the language server for the workspace's integrations and the catalog, and implements the
 * view's commands (refresh, sign in/out, copy, open in portal, grant).
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  Commands,
  FederatedCredentialTextRequest,
  GrantTextRequest,
  IntegrationsRequest,
  SETTINGS_SECTION,
  type GrantTextResult,
  type IntegrationsResult,
  type ManifestLocation,
} from '../../../shared/src/protocol';
import type { AzureSession } from '../../../azure/src/session';
import type { CloudEndpoints, FederationView, LoadError, SignInMethod } from '../../../azure/src/model';
import { redact } from '../../../azure/src/redact';
import { resolveCloud } from '../../../azure/src/cloud';
import { clusterMappings, grantParams } from '../../../azure/src/findings';
import type { CustomCloudSettings } from '../../../shared/src/ciReadiness';
import { loadAzureChunk } from './azureChunk';
import type { AzureNode } from './azureNodes';
import type { ReadinessRow } from '../../../azure/src/findings';
import { LIVE_SOURCE, liveFindings, type LiveFinding } from './liveFindings';
import { AccessTreeProvider, ReadinessTreeProvider } from './azureTree';
import type { AzureTreeHost, WelcomeState } from './treeHost';

/** How long the readiness view waits for the language server's list of integrations. */
const CATALOG_TIMEOUT_MS = 60_000;

export const ACCESS_VIEW = 'fluxAzure.access';
export const READINESS_VIEW = 'fluxAzure.readiness';
const AZURE_SECTION = `${SETTINGS_SECTION}.azure`;

export class AzureController implements AzureTreeHost, vscode.Disposable {
  readonly access: AccessTreeProvider;
  readonly readiness: ReadinessTreeProvider;
  readonly accessView: vscode.TreeView<AzureNode>;
  readonly readinessView: vscode.TreeView<AzureNode>;
  /** Catalog data and integrations from the server (the last answer). */
  catalog: IntegrationsResult | undefined;
  private current: { key: string; session: AzureSession } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Readiness results on the manifest lines ("Flux on Azure (live)"), set after each readiness load. */
  private readonly live = vscode.languages.createDiagnosticCollection('fluxAzureLive');
  /** The findings behind the live diagnostics (tests and code actions read them). */
  findings: LiveFinding[] = [];
  /**
   * The row last selected in either view: the item commands run from the command palette (no argument) act on it,
   * so a keyboard user can select a row, then run the command by name.
   */
  selected: AzureNode | undefined;

  constructor(
    private readonly client: () => Promise<LanguageClient>,
    private readonly output: vscode.OutputChannel,
  ) {
    this.access = new AccessTreeProvider(this, ACCESS_VIEW);
    this.readiness = new ReadinessTreeProvider(this, READINESS_VIEW);
    this.accessView = vscode.window.createTreeView(ACCESS_VIEW, {
      treeDataProvider: this.access,
      showCollapseAll: true,
    });
    this.readinessView = vscode.window.createTreeView(READINESS_VIEW, {
      treeDataProvider: this.readiness,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.live,
      vscode.languages.registerCodeActionsProvider(
        { language: 'yaml' },
        { provideCodeActions: (document, _range, context) => this.liveActions(document.uri, context.diagnostics) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
      this.accessView,
      this.readinessView,
      this.accessView.onDidChangeSelection((e) => (this.selected = e.selection[0] ?? this.selected)),
      this.readinessView.onDidChangeSelection((e) => (this.selected = e.selection[0] ?? this.selected)),
      this.access,
      this.readiness,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(AZURE_SECTION)) this.refresh();
      }),
      // Signing in or out through the Accounts menu changes what the VS Code credential gets.
      vscode.authentication.onDidChangeSessions((e) => {
        if (
          this.current?.session.options.method === 'vscode' &&
          e.provider.id === this.current.session.options.cloud.vscodeProvider
        )
          this.refresh();
      }),
    );
  }

  /** The welcome state of each view (tests read it); package.json's `viewsWelcome` reads `<view id>.welcome`. */
  readonly welcome = new Map<string, WelcomeState | undefined>();

  setWelcome(viewId: string, state: WelcomeState | undefined): void {
    if (this.welcome.has(viewId) && this.welcome.get(viewId) === state) return;
    this.welcome.set(viewId, state);
    void vscode.commands.executeCommand('setContext', `${viewId}.welcome`, state ?? '');
  }

  /** Publishes the readiness results as live diagnostics; none when Azure was not asked (signed out, offline). */
  onReadiness(rows: readonly ReadinessRow[], federation: readonly FederationView[], checked: boolean): void {
    this.live.clear();
    this.findings = checked ? liveFindings(rows, federation) : [];
    const byUri = new Map<string, vscode.Diagnostic[]>();
    for (const f of this.findings) {
      const { start, end } = f.location.range;
      const d = new vscode.Diagnostic(
        new vscode.Range(start.line, start.character, end.line, end.character),
        f.message,
        f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
      );
      d.source = LIVE_SOURCE;
      d.code = f.code;
      byUri.set(f.location.uri, [...(byUri.get(f.location.uri) ?? []), d]);
    }
    for (const [uri, list] of byUri) this.live.set(vscode.Uri.parse(uri), list);
  }

  /** Quick fixes of a live diagnostic: copy the az command, insert the ASO manifest, copy the fix command. */
  private liveActions(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of diagnostics) {
      if (d.source !== LIVE_SOURCE) continue;
      const f = this.findings.find(
        (x) =>
          vscode.Uri.parse(x.location.uri).toString() === uri.toString() &&
          x.location.range.start.line === d.range.start.line &&
          x.message === d.message,
      );
      if (!f) continue;
      const action = (title: string, command: string, args: unknown[]) => {
        const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.command = { title, command, arguments: args };
        out.push(a);
      };
      if (f.fixes.includes('grant')) {
        action("Copy 'az role assignment create' command", Commands.azureCopyGrantCommand, [f.node]);
        action('Insert ASO RoleAssignment manifest', Commands.azureInsertRoleAssignment, [f.node]);
      }
      if (f.fixes.includes('federatedCredential')) {
        action("Copy 'az identity federated-credential create' command", Commands.azureCopyFederatedCredentialCommand, [
          f.node,
        ]);
        action('Insert ASO FederatedIdentityCredential manifest', Commands.azureInsertFederatedCredential, [f.node]);
      }
      if (f.fixCommand)
        action(`Copy '${f.fixCommand.split(' --')[0]}' command`, Commands.azureCopyValue, [
          { type: 'detail', label: 'Fix', copy: f.fixCommand },
        ]);
    }
    return out;
  }

  /** A line in the output channel; credentials are removed whatever the caller passes. */
  log(message: string): void {
    this.output.appendLine(`[azure] ${redact(message)}`);
  }

  describe(err: unknown): LoadError {
    try {
      return loadAzureChunk().describeError(err);
    } catch {
      return { kind: 'other', message: redact(err instanceof Error ? err.message : String(err)), retryable: true };
    }
  }

  /** The server's integrations and catalog data (one request; the readiness view keeps it until refresh). */
  async loadCatalog(): Promise<IntegrationsResult> {
    const client = await this.client();
    // The server answers between slices of other work; a server stuck on a huge workspace must not leave the view
    // spinning forever, so give up (and cancel the request) after a while, with a message saying what to do.
    const cancel = new vscode.CancellationTokenSource();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      this.catalog = await Promise.race([
        client.sendRequest(IntegrationsRequest, cancel.token),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            cancel.cancel();
            reject(
              new Error(
                `The Flux for Azure language server did not list the workspace's Azure integrations within ${CATALOG_TIMEOUT_MS / 1000} s (it may still be indexing). Refresh to try again; the server log (Flux for Azure: Show Language Server Log) says what it is doing.`,
              ),
            );
          }, CATALOG_TIMEOUT_MS);
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
      cancel.dispose();
    }
    return this.catalog;
  }

  /** The settings' cloud, with endpoints from the server's catalog or the custom-cloud settings. */
  private cloud(catalog: IntegrationsResult): CloudEndpoints {
    const config = vscode.workspace.getConfiguration(AZURE_SECTION);
    const id = config.get<string>('cloud', 'public');
    const custom = (key: keyof CustomCloudSettings) => config.get<string>(`customCloud.${key}`) ?? '';
    return resolveCloud(
      id === 'custom' || catalog.clouds.some((c) => c.id === id) ? id : 'public',
      catalog.clouds,
      {
        resourceManagerEndpoint: custom('resourceManagerEndpoint'),
        tokenAudience: custom('tokenAudience'),
        authorityHost: custom('authorityHost'),
        portalUrl: custom('portalUrl'),
        certificateAuthorityFile: custom('certificateAuthorityFile'),
        azureDevOpsGraphEndpoint: custom('azureDevOpsGraphEndpoint'),
        graphEndpoint: custom('graphEndpoint'),
      },
      (path) => readFileSync(path, 'utf8'),
      `${AZURE_SECTION}.customCloud.`,
    );
  }

  /** The session for the current settings (a new one when they changed). */
  async session(): Promise<AzureSession> {
    const catalog = this.catalog ?? (await this.loadCatalog());
    const cloud = this.cloud(catalog);
    const method = vscode.workspace.getConfiguration(AZURE_SECTION).get<SignInMethod>('signInMethod', 'vscode');
    const key = JSON.stringify({ cloud, method });
    if (this.current?.key === key) return this.current.session;
    this.current?.session.dispose();
    const chunk = loadAzureChunk();
    const session = chunk.createSession({
      cloud,
      method,
      knownRoles: catalog.roles,
      getVscodeSession: async (scopes, interactive) =>
        vscode.authentication.getSession(
          cloud.vscodeProvider,
          scopes,
          interactive ? { createIfNone: true } : { silent: true },
        ),
      onDeviceCode: (info) => {
        void vscode.window
          .showInformationMessage(
            `Sign in to Azure: open ${info.verificationUri} and enter the code ${info.userCode}.`,
            'Copy code and open',
          )
          .then(async (choice) => {
            if (!choice) return;
            await vscode.env.clipboard.writeText(info.userCode);
            await vscode.env.openExternal(vscode.Uri.parse(info.verificationUri));
          });
      },
      onRequest: (method_, url) => this.log(`${method_} ${url.replace(/^https?:\/\/[^/]+/, '')}`),
    });
    this.log(`session: ${cloud.name} (${cloud.armEndpoint}), sign-in: ${method}`);
    this.current = { key, session };
    return session;
  }

  refresh(): void {
    this.current?.session.refresh();
    this.catalog = undefined;
    this.access.refresh();
    this.readiness.refresh();
  }

  async signIn(tenantId?: string): Promise<void> {
    try {
      await (await this.session()).signIn(typeof tenantId === 'string' ? tenantId : undefined);
    } catch (err) {
      void vscode.window.showErrorMessage(`Flux for Azure: sign-in failed: ${this.describe(err).message}`);
    }
    this.refresh();
  }

  async signOut(): Promise<void> {
    (await this.session()).signOut();
    this.refresh();
    void vscode.window.showInformationMessage(
      'Flux for Azure stopped using your Azure account. To remove the account from VS Code, use the Accounts menu.',
    );
  }

  private async grantText(node: AzureNode | undefined): Promise<GrantTextResult | undefined> {
    if (node?.type !== 'integration' || !node.row.result?.grant) {
      void vscode.window.showWarningMessage(
        'Flux for Azure: select an integration marked ✗ (missing) in Flux Readiness to grant the missing role.',
      );
      return undefined;
    }
    const params = grantParams(node.row.integration, node.row.result.grant);
    return (await this.client()).sendRequest(GrantTextRequest, params);
  }

  /** `.flux-azure.yaml`'s AKS clusters, with the setting `fluxAzure.azure.aksClusters` (directory -> id) on top. */
  clusterMappings(catalog: IntegrationsResult): { label: string; aksClusterId?: string; from: string }[] {
    const setting = vscode.workspace.getConfiguration(AZURE_SECTION).get<Record<string, string>>('aksClusters', {});
    return clusterMappings(catalog, setting ?? {}, 'setting');
  }

  private async federationText(node: AzureNode | undefined): Promise<GrantTextResult | undefined> {
    const fix = node?.type === 'federation' ? node.view.fix : undefined;
    if (!fix) {
      void vscode.window.showWarningMessage(
        'Flux for Azure: select a federated credential row marked ✗ (missing) whose cluster issuer is known.',
      );
      return undefined;
    }
    return (await this.client()).sendRequest(FederatedCredentialTextRequest, {
      identityId: fix.identityId,
      name: fix.name,
      issuer: fix.issuer,
      subject: fix.subject,
      ...(fix.namespace ? { namespace: fix.namespace } : {}),
    });
  }

  private async copy(text: string | undefined, what: string): Promise<string | undefined> {
    if (!text) {
      void vscode.window.showWarningMessage(`Flux for Azure: no ${what} here.`);
      return undefined;
    }
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`Copied ${what}`, 3000);
    return text;
  }

  /**
   * Commands of the view; each returns what it copied or inserted (for tests and scripts). Item commands take the
   * row they were run on, else (from the command palette) the row last selected.
   */
  commandTable(): Record<string, (...args: never[]) => unknown> {
    const item = (run: (node: AzureNode | undefined) => unknown) => (node?: AzureNode) => run(node ?? this.selected);
    return {
      [Commands.azureRefresh]: () => this.refresh(),
      [Commands.azureSignIn]: (tenantId?: string) => this.signIn(tenantId),
      [Commands.azureSignOut]: () => this.signOut(),
      [Commands.azureCopyScope]: item((node) => this.copy(scopeOf(node), 'scope')),
      [Commands.azureCopyRoleId]: item((node) => this.copy(roleIdOf(node), 'role id')),
      [Commands.azureCopyPrincipalId]: item((node) => this.copy(principalIdOf(node), 'principal id')),
      [Commands.azureOpenInPortal]: item(async (node) => {
        const scope = scopeOf(node);
        const tenant = tenantOf(node);
        const portal = this.current?.session.options.cloud.portalUrl;
        if (!scope || !portal) {
          void vscode.window.showWarningMessage('Flux for Azure: no Azure portal for this item or cloud.');
          return undefined;
        }
        const url = `${portal.replace(/\/+$/, '')}/#${tenant ? `@${tenant}` : ''}/resource${scope}`;
        await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return url;
      }),
      [Commands.azureCopyGrantCommand]: item(async (node) =>
        this.copy((await this.grantText(node))?.azCli, 'az command'),
      ),
      [Commands.azureInsertRoleAssignment]: item(async (node) => {
        const text = (await this.grantText(node))?.aso;
        return text ? insertManifest(text) : undefined;
      }),
      [Commands.azureCopyValue]: item((node) =>
        this.copy(
          node?.type === 'detail' ? node.copy : undefined,
          node?.type === 'detail' ? node.label.toLowerCase() : 'value',
        ),
      ),
      [Commands.azureCopyFederatedCredentialCommand]: item(async (node) =>
        this.copy((await this.federationText(node))?.azCli, 'az command'),
      ),
      [Commands.azureInsertFederatedCredential]: item(async (node) => {
        const text = (await this.federationText(node))?.aso;
        return text ? insertManifest(text) : undefined;
      }),
      [Commands.azureOpenManifest]: (location?: ManifestLocation) => {
        const at = location ?? locationOf(this.selected);
        if (!at) void vscode.window.showWarningMessage('Flux for Azure: select a row that names a manifest.');
        return at ? openLocation(at) : undefined;
      },
    };
  }

  dispose(): void {
    this.current?.session.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function scopeOf(node: AzureNode | undefined): string | undefined {
  switch (node?.type) {
    case 'assignment':
      return node.assignment.scope;
    case 'scope':
      return node.scope;
    case 'subscription':
      return `/subscriptions/${node.subscription.subscriptionId}`;
    case 'integration':
      return node.row.result?.targetScope;
    case 'detail':
      return node.copy?.startsWith('/') ? node.copy : undefined;
    default:
      return undefined;
  }
}

/** The manifest a row is about: an integration's object, a detail's place. */
function locationOf(node: AzureNode | undefined): ManifestLocation | undefined {
  if (node?.type === 'integration') return node.row.integration.object.location;
  if (node?.type === 'detail') return node.location;
  return undefined;
}

function tenantOf(node: AzureNode | undefined): string | undefined {
  switch (node?.type) {
    case 'assignment':
    case 'scope':
      return node.tenantId;
    case 'subscription':
      return node.subscription.tenantId;
    case 'integration':
      return node.row.result?.tenantId ?? node.row.integration.identity?.tenantId;
    default:
      return undefined;
  }
}

function roleIdOf(node: AzureNode | undefined): string | undefined {
  if (node?.type === 'assignment') return node.assignment.roleDefinitionId;
  if (node?.type === 'integration')
    return node.row.result?.grant?.roleGuid ?? node.row.result?.covering?.roleDefinitionId;
  if (node?.type === 'detail' && node.copy && /^[0-9a-f-]{36}$/i.test(node.copy)) return node.copy;
  return undefined;
}

function principalIdOf(node: AzureNode | undefined): string | undefined {
  if (node?.type === 'assignment') return node.assignment.principalId;
  if (node?.type === 'integration') return node.row.result?.principalId;
  if (node?.type === 'detail' && node.label === 'Principal id') return node.copy;
  return undefined;
}

async function openLocation(location: ManifestLocation): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
  const { start, end } = location.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  await vscode.window.showTextDocument(document, { selection: range, preserveFocus: false });
}

/** Appends a manifest to the active YAML editor (after `---`), or opens it in a new YAML document. */
async function insertManifest(text: string): Promise<string> {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === 'yaml' && !editor.document.isClosed) {
    const doc = editor.document;
    const body = doc.getText();
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const prefix = body.trim() === '' ? '' : `${body.endsWith('\n') ? '' : eol}---${eol}`;
    const inserted = prefix + text.replace(/\n/g, eol);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, inserted));
    editor.revealRange(new vscode.Range(end, end));
    return text;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
  await vscode.window.showTextDocument(doc);
  return text;
}
