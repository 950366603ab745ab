/**
 * What the tree providers (azureTree.ts) need from the views' controller (azureViews.ts, which creates them): its
 * own module, so that the providers and the controller do not import each other and tests can host the providers
 * without VS Code.
 */
import type { IntegrationsResult } from '../../../shared/src/protocol';
import type { FederationView, LoadError } from '../../../azure/src/model';
import type { ReadinessRow } from '../../../azure/src/findings';
import type { AzureSession } from '../../../azure/src/session';

export interface AzureTreeHost {
  /** The server's last answer to `fluxAzure/integrations` (scope formats for "My access"). */
  readonly catalog: IntegrationsResult | undefined;
  loadCatalog(): Promise<IntegrationsResult>;
  /** The Azure session for the current settings. */
  session(): Promise<AzureSession>;
  /** A failure as a tree item can say it. */
  describe(err: unknown): LoadError;
  log(message: string): void;
  /** Cluster directories -> AKS clusters: `.flux-azure.yaml`, overridden by the setting `fluxAzure.azure.aksClusters`. */
  /** After each readiness load: the rows and federation checks (`checked` false when Azure was not asked). */
  onReadiness?(rows: readonly ReadinessRow[], federation: readonly FederationView[], checked: boolean): void;
  clusterMappings?(catalog: IntegrationsResult): { label: string; aksClusterId?: string; from: string }[];
  /**
   * Which welcome content a view shows (`viewsWelcome` in package.json picks it by context key): the providers
   * return no items in these states, so that VS Code shows it; undefined when the view has items.
   */
  setWelcome?(viewId: string, state: WelcomeState | undefined): void;
}

/** `signedOut`: not signed in to Azure (nothing refused, just no account); `noFluxObjects`: no Azure integrations. */
export type WelcomeState = 'signedOut' | 'noFluxObjects';
