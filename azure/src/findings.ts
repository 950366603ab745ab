/**
 * A readiness load turned into rows and findings, the same for the tree, the live diagnostics and
 * `flux-azure-check --azure`: which rows the manifests alone decide, what each row says, and what fixes it. Pure
 * (no SDK, no vscode).
 */
import type { AzureIntegration, GrantTextParams, IntegrationsResult } from '../../shared/src/protocol';
import type { ReadinessFinding } from '../../shared/src/ciReadiness';
import type { ClusterMapping } from './checks';
import type { FederationView, GrantSuggestion, ReadinessModel, ReadinessView } from './model';
import { decideReadiness } from './readiness';

/** An integration and what Azure (or the manifests alone) said about it. */
export interface ReadinessRow {
  integration: AzureIntegration;
  result: ReadinessView | undefined;
}

/** Rows the manifests decide without ARM (no identity, unknown resource, Azure DevOps). */
function decidedByManifests(i: AzureIntegration): boolean {
  return !!i.unknown || i.need.kind === 'adoGroup';
}

/**
 * One row per integration: Azure's answer, or — when the load failed (signed out, offline) — what the manifests
 * alone decide, and no result for the others.
 */
export function readinessRows(
  integrations: readonly AzureIntegration[],
  model: ReadinessModel | undefined,
  failed: boolean,
): ReadinessRow[] {
  const results = new Map(model?.results.map((r) => [r.key, r]));
  return integrations.map((integration) => ({
    integration,
    result:
      results.get(integration.key) ??
      (failed && decidedByManifests(integration) ? decideReadiness(integration, {}) : undefined),
  }));
}

/** A cluster directory as the integrations name it (`./clusters/prod/` -> `clusters/prod`). */
function clusterLabel(directory: string): string {
  return directory
    .trim()
    .split(/[\\/]/)
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

/**
 * Cluster directories and their AKS clusters: `.flux-azure.yaml`'s, with `overrides` (directory -> AKS cluster id:
 * the setting `fluxAzure.azure.aksClusters`, the CLI's `--aks-cluster`) on top, each saying where it came from.
 */
export function clusterMappings(
  catalog: IntegrationsResult,
  overrides: Readonly<Record<string, string>> = {},
  from = 'setting',
): (ClusterMapping & { from: string })[] {
  const out = new Map((catalog.clusters ?? []).map((c) => [c.label, { ...c, from: '.flux-azure.yaml' }]));
  for (const [directory, id] of Object.entries(overrides))
    if (typeof id === 'string' && id.trim()) {
      const label = clusterLabel(directory);
      out.set(label, { label, aksClusterId: id.trim(), from });
    }
  return [...out.values()];
}

/** The parameters of the server's grant text (`az role assignment create`, ASO RoleAssignment) for a ✗ row. */
export function grantParams(integration: AzureIntegration, grant: GrantSuggestion): GrantTextParams {
  // `ServiceAccount ns/name` -> name, `source-controller (clusters/x)` -> source-controller.
  const identity =
    integration.identity?.label
      .replace(/\s*\(.*\)$/, '')
      .split(/[\s/]/)
      .pop() ?? integration.object.name;
  return {
    scope: grant.scope,
    roleGuid: grant.roleGuid,
    principalId: grant.principalId,
    name: `${identity}-${grant.roleName}`,
    ...(integration.namespace ? { namespace: integration.namespace } : {}),
  };
}

/** `OCIRepository podinfo/podinfo`. */
function objectLabel(i: AzureIntegration): string {
  return `${i.object.kind} ${i.object.namespace ? `${i.object.namespace}/` : ''}${i.object.name}`;
}

/** Every row as a finding: integrations with a result first, then the federation checks. */
export function readinessFindings(
  rows: readonly ReadinessRow[],
  federation: readonly FederationView[],
): ReadinessFinding[] {
  const out: ReadinessFinding[] = [];
  for (const { integration: i, result: r } of rows) {
    if (!r) continue;
    out.push({
      key: i.key,
      kind: 'integration',
      state: r.state,
      title: `${i.service.abbreviation} ${objectLabel(i)}`,
      summary: r.summary,
      clusters: i.clusters,
      location: i.object.location,
      fromManifests: !!r.notChecked,
      ...(r.fixCommand ? { fixCommand: r.fixCommand } : {}),
      ...(r.grant ? { grant: grantParams(i, r.grant) } : {}),
    });
  }
  for (const f of federation)
    out.push({
      key: f.key,
      kind: 'federation',
      state: f.state,
      title: `Federated credential for ${f.identityLabel}`,
      summary: f.summary,
      clusters: f.cluster === '(no cluster)' ? [] : [f.cluster],
      ...(f.location ? { location: f.location } : {}),
      fromManifests: false,
      ...(f.fixCommand ? { fixCommand: f.fixCommand } : {}),
      ...(f.fix
        ? {
            federatedCredential: {
              identityId: f.fix.identityId,
              name: f.fix.name,
              issuer: f.fix.issuer,
              subject: f.fix.subject,
              ...(f.fix.namespace ? { namespace: f.fix.namespace } : {}),
            },
          }
        : {}),
    });
  return out;
}
