/**
 * The Azure views' tree providers (client/src/views/azureTree.ts) under node:test: the real providers, sessions
 * and Azure SDK clients against the stand-in, with a controller that stands in for the VS Code one (settings,
 * output channel, language server) and records what the real one would write to the output channel.
 * Import `./vscodeStub` before this file.
 */
import { createSession, type AzureSession, type SessionOptions } from '../../azure/src/session';
import { describeError } from '../../azure/src/errors';
import type { LoadError } from '../../azure/src/model';
import type { AzureNode } from '../../client/src/views/azureNodes';
import { AccessTreeProvider, ReadinessTreeProvider } from '../../client/src/views/azureTree';
import type { AzureController } from '../../client/src/views/azureViews';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { clusterMappings } from '../../azure/src/findings';

/** What `AzureController` gives the providers, minus VS Code: one session, the catalog, the log, `describe`. */
export class TestController {
  /** Lines the real controller writes to the output channel (`[azure] ...`), unredacted here. */
  readonly lines: string[] = [];
  /** The welcome state each view last asked for (the real controller sets the `<view>.welcome` context key). */
  readonly welcome = new Map<string, string | undefined>();
  catalog: IntegrationsResult | undefined;
  readonly access: AccessTreeProvider;
  readonly readiness: ReadinessTreeProvider;
  private current: AzureSession | undefined;

  constructor(
    private readonly options: () => SessionOptions,
    private readonly answer: IntegrationsResult,
    /** The setting `fluxAzure.azure.aksClusters` (cluster directory -> AKS cluster id). */
    private readonly aksClusters: Readonly<Record<string, string>> = {},
  ) {
    const controller = this as unknown as AzureController;
    this.access = new AccessTreeProvider(controller, 'fluxAzure.access');
    this.readiness = new ReadinessTreeProvider(controller, 'fluxAzure.readiness');
  }

  async session(): Promise<AzureSession> {
    if (!this.catalog) await this.loadCatalog();
    if (!this.current) {
      const options = this.options();
      this.current = createSession({
        ...options,
        onRequest: (method, url) => this.log(`${method} ${url.replace(/^https?:\/\/[^/]+/, '')}`),
      });
    }
    return this.current;
  }

  /** As the real controller: `.flux-azure.yaml`'s clusters with the setting on top. */
  clusterMappings(catalog: IntegrationsResult): { label: string; aksClusterId?: string; from: string }[] {
    return clusterMappings(catalog, this.aksClusters, 'setting');
  }

  describe(err: unknown): LoadError {
    return describeError(err);
  }

  setWelcome(viewId: string, state: string | undefined): void {
    this.welcome.set(viewId, state);
  }

  log(message: string): void {
    this.lines.push(`[azure] ${message}`);
  }

  async loadCatalog(): Promise<IntegrationsResult> {
    this.catalog = this.answer;
    return this.catalog;
  }

  /** The Retry item / refresh button: `fluxAzure.azure.refresh`. */
  refresh(): void {
    this.current?.refresh();
    this.catalog = undefined;
    this.access.refresh();
    this.readiness.refresh();
  }

  dispose(): void {
    this.current?.dispose();
  }
}

export interface Row {
  node: AzureNode;
  depth: number;
  /** `label — description`. */
  text: string;
  /** Label, description and tooltip (markdown included): everything the item shows. */
  shown: string;
  command?: string;
  contextValue?: string;
  /** The item's accessible label (what a screen reader says). */
  spoken?: string;
  /** The tooltip's text (markdown source). */
  tooltip: string;
}

type Provider = AccessTreeProvider | ReadinessTreeProvider;

export function rowOf(provider: Provider, node: AzureNode, depth: number): Row {
  const item = provider.getTreeItem(node) as unknown as {
    label: string;
    description?: string;
    tooltip?: string | { value: string };
    command?: { command: string };
    contextValue?: string;
    accessibilityInformation?: { label: string };
  };
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  return {
    node,
    depth,
    text: item.description ? `${item.label} — ${item.description}` : item.label,
    shown: [item.label, item.description ?? '', tooltip].join('\n'),
    ...(item.command ? { command: item.command.command } : {}),
    ...(item.contextValue ? { contextValue: item.contextValue } : {}),
    ...(item.accessibilityInformation ? { spoken: item.accessibilityInformation.label } : {}),
    tooltip,
  };
}

/** Every item of a tree, depth first, as VS Code would ask for them (getChildren, then getTreeItem). */
export async function walk(provider: Provider): Promise<Row[]> {
  const out: Row[] = [];
  const visit = async (node: AzureNode | undefined, depth: number) => {
    for (const child of await provider.getChildren(node)) {
      out.push(rowOf(provider, child, depth));
      if (provider.hasChildren(child)) await visit(child, depth + 1);
    }
  };
  await visit(undefined, 0);
  return out;
}

/** The tree as indented text, for assertion messages. */
export function render(rows: readonly Row[]): string {
  return rows.map((r) => `${'  '.repeat(r.depth)}${r.text}`).join('\n');
}
