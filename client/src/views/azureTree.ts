/**
 * The two views of the "Flux on Azure" container: "My access" (the signed-in account's role assignments) and
 * "Flux readiness" (whether the identities the manifests name hold the roles they need). `getChildren` never
 * throws: a failure becomes an item saying why, with a way out.
 */
import * as vscode from 'vscode';
import type { AzureIntegration } from '../../../shared/src/protocol';
import { clusterMappings, readinessRows, type ReadinessRow } from '../../../azure/src/findings';
import type { AccessModel, FederationView, LoadError, ReadinessModel } from '../../../azure/src/model';
import {
  errorNodes,
  federationDetails,
  integrationDetails,
  messageNode,
  type AzureNode,
  toTreeItem,
} from './azureNodes';
import { scopeNodes } from './scopeGroups';
import type { AzureTreeHost, WelcomeState } from './treeHost';

/** Not signed in, and not because Azure refused a credential (that is an error worth its reason in the tree). */
function isSignedOut(error: LoadError): boolean {
  return error.kind === 'signedOut' && !error.retryable;
}

abstract class AzureTreeProvider implements vscode.TreeDataProvider<AzureNode> {
  private readonly changed = new vscode.EventEmitter<AzureNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    protected readonly controller: AzureTreeHost,
    readonly viewId: string,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: AzureNode): vscode.TreeItem {
    return toTreeItem(node, this.hasChildren(node));
  }

  abstract hasChildren(node: AzureNode): boolean;
  /** The welcome content of the view when its roots are empty. */
  protected abstract emptyState(): WelcomeState | undefined;
  protected abstract roots(): Promise<AzureNode[]>;
  protected abstract childrenOf(node: AzureNode): AzureNode[];

  private readonly parents = new WeakMap<AzureNode, AzureNode>();

  async getChildren(node?: AzureNode): Promise<AzureNode[]> {
    let children: AzureNode[];
    try {
      children = node
        ? this.childrenOf(node)
        : await vscode.window.withProgress({ location: { viewId: this.viewId } }, () => this.roots());
    } catch (err) {
      const error = this.controller.describe(err);
      // Plainly signed out (no account, nothing refused): no items, so that the welcome content's Sign in shows.
      if (!node && isSignedOut(error)) {
        this.controller.log(`${this.viewId}: signed out (${error.message})`);
        this.controller.setWelcome?.(this.viewId, 'signedOut');
        return [];
      }
      children = errorNodes(error);
    }
    if (!node) this.controller.setWelcome?.(this.viewId, children.length ? undefined : this.emptyState());
    if (node) for (const child of children) this.parents.set(child, node);
    return children;
  }

  /** Lets `TreeView.reveal` expand a node below the roots. */
  getParent(node: AzureNode): AzureNode | undefined {
    return this.parents.get(node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class AccessTreeProvider extends AzureTreeProvider {
  /** The last model shown (tests and commands read it). */
  model: AccessModel | undefined;

  protected emptyState(): WelcomeState | undefined {
    return undefined;
  }

  hasChildren(node: AzureNode): boolean {
    return (
      ['account', 'tenant', 'scope'].includes(node.type) ||
      (node.type === 'subscription' && (node.subscription.assignments.length > 0 || !!node.subscription.error))
    );
  }

  protected async roots(): Promise<AzureNode[]> {
    this.model = undefined;
    const session = await this.controller.session();
    const model = await session.loadAccess();
    this.model = model;
    this.controller.log(
      `My access: ${model.tenants.length} tenants, ${model.tenants.reduce((n, t) => n + t.subscriptions.length, 0)} subscriptions, ${model.requests} ARM requests so far`,
    );
    return [{ type: 'account', account: model.account, tenants: model.tenants }];
  }

  protected childrenOf(node: AzureNode): AzureNode[] {
    switch (node.type) {
      case 'account':
        return node.tenants.length
          ? node.tenants.map((tenant) => ({ type: 'tenant', tenant }))
          : [messageNode('No tenants', 'info')];
      case 'tenant': {
        const t = node.tenant;
        const subs: AzureNode[] = t.subscriptions.map((subscription) => ({
          type: 'subscription',
          tenant: t,
          subscription,
        }));
        if (t.error) return [...errorNodes(t.error, t.tenantId), ...subs];
        return subs.length ? subs : [messageNode('No subscriptions in this tenant', 'info')];
      }
      case 'subscription': {
        const s = node.subscription;
        if (s.error) return errorNodes(s.error);
        return scopeNodes(s.tenantId, s.assignments, this.controller.catalog?.scopeFormats ?? [], s);
      }
      case 'scope':
        return node.assignments
          .slice()
          .sort((a, b) => a.roleName.localeCompare(b.roleName))
          .map((assignment) => ({ type: 'assignment', tenantId: node.tenantId, assignment }));
      default:
        return [];
    }
  }
}

export class ReadinessTreeProvider extends AzureTreeProvider {
  rows: ReadinessRow[] | undefined;
  /** The federation checks of the last load (tests and the live diagnostics read them). */
  federation: FederationView[] | undefined;
  private integrations: AzureIntegration[] | undefined;

  hasChildren(node: AzureNode): boolean {
    return node.type === 'cluster' || node.type === 'integration' || node.type === 'federation';
  }

  protected emptyState(): WelcomeState | undefined {
    return this.integrations?.length === 0 ? 'noFluxObjects' : undefined;
  }

  /** Forgets the server's integration list too (manifests may have changed). */
  override refresh(): void {
    this.integrations = undefined;
    super.refresh();
  }

  protected async roots(): Promise<AzureNode[]> {
    this.rows = undefined;
    this.federation = undefined;
    const catalog = await this.controller.loadCatalog();
    this.integrations ??= catalog.integrations;
    const integrations = this.integrations;
    // None: the view's welcome content says what would appear here and offers the example fleet.
    if (integrations.length === 0) return [];
    let model: ReadinessModel | undefined;
    let failure: LoadError | undefined;
    try {
      model = await (
        await this.controller.session()
      ).checkReadiness(
        integrations,
        this.controller.clusterMappings?.(catalog) ?? clusterMappings(catalog),
        catalog.tokenExchangeAudience,
        catalog.azureDevOpsScope,
      );
      this.controller.log(
        `Flux readiness: ${integrations.length} integrations, ${model.federation.length} federation checks, ${model.requests} requests to Azure (ARM, Microsoft Graph, Azure DevOps)`,
      );
    } catch (err) {
      failure = this.controller.describe(err);
      if (failure.kind === 'cancelled') throw err;
    }
    // Without ARM (signed out, offline), what the manifests alone decide is still shown.
    const rows = readinessRows(integrations, model, !!failure);
    this.rows = rows;
    this.federation = model?.federation;
    this.controller.onReadiness?.(rows, model?.federation ?? [], !!model);
    const byCluster = new Map<string, ReadinessRow[]>();
    for (const row of rows) {
      const labels = row.integration.clusters.length ? row.integration.clusters : ['(no cluster)'];
      for (const label of labels) byCluster.set(label, [...(byCluster.get(label) ?? []), row]);
    }
    const federation = new Map<string, FederationView[]>();
    for (const f of model?.federation ?? []) {
      federation.set(f.cluster, [...(federation.get(f.cluster) ?? []), f]);
      if (!byCluster.has(f.cluster)) byCluster.set(f.cluster, []);
    }
    const clusters: AzureNode[] = [...byCluster.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, list]) => ({ type: 'cluster', label, rows: list, federation: federation.get(label) ?? [] }));
    return failure ? [...errorNodes(failure), ...clusters] : clusters;
  }

  protected childrenOf(node: AzureNode): AzureNode[] {
    if (node.type === 'cluster') {
      const order = { missing: 0, unknown: 1, ok: 2 } as const;
      return node.rows
        .slice()
        .sort(
          (a, b) =>
            order[a.result?.state ?? 'unknown'] - order[b.result?.state ?? 'unknown'] ||
            a.integration.object.name.localeCompare(b.integration.object.name),
        )
        .map((row): AzureNode => ({ type: 'integration', row, cluster: node.label }))
        .concat(
          node.federation
            .slice()
            .sort((a, b) => order[a.state] - order[b.state] || a.identityLabel.localeCompare(b.identityLabel))
            .map((view): AzureNode => ({ type: 'federation', view })),
        );
    }
    if (node.type === 'integration') return integrationDetails(node.row);
    if (node.type === 'federation') return federationDetails(node.view);
    return [];
  }
}
