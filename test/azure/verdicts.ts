/**
 * The one list of what the readiness checks must answer on examples/ against the stand-in (world.ts): the verdict
 * (✓ ✗ ?) of every row, per cluster, with Azure DevOps and Microsoft Graph reachable (app registrations resolved
 * to their service principals). The readiness view (the tree
 * the extension builds, test/azure and test/e2e) and `flux-azure-check --azure` (test/azure) are each compared with
 * it, row for row: a row that appears, disappears or changes its verdict fails all of them.
 *
 * A row is named as the CLI titles it: `<service> <Kind> <namespace>/<name>` for an integration (the tree shows the
 * service after the mark), `Federated credential for <identity>` for a federation check.
 */
import { AKS_PROD, AKS_STAGING } from './world';

export type Mark = '✓' | '✗' | '?';

export interface Verdict {
  cluster: string;
  row: string;
  mark: Mark;
}

const PROD = 'clusters/production';
const STAGING = 'clusters/staging';

const v = (cluster: string, mark: Mark, row: string): Verdict => ({ cluster, row, mark });

/** examples/ as committed (no `.flux-azure.yaml`): clusters found from the identities' credentials. */
export const EXAMPLES_VERDICTS: readonly Verdict[] = [
  // clusters/production
  v(PROD, '✓', 'ACR OCIRepository podinfo/podinfo'), // AcrPull on the registry
  v(PROD, '✓', 'ACR ImageRepository podinfo/podinfo'), // AcrPull on the registry
  v(PROD, '✓', 'ACR HelmRepository flux-system/contoso-charts'), // AcrPull inherited from the resource group
  v(PROD, '✓', 'ABS Bucket platform/fleet-config'), // Storage Blob Data Reader on the container
  v(PROD, '✓', 'AKV Secret flux-system/receiver-token'), // Key Vault Crypto Officer inherited
  v(PROD, '?', 'AEH Provider flux-system/fleet-events'), // no channel: no namespace to look up
  v(PROD, '✓', 'ADO GitRepository flux-system/flux-system'), // in Flux Bots, itself in Contributors
  v(PROD, '✓', 'ADO GitRepository podinfo/podinfo-deploy'), // in [fleet]\Readers
  v(PROD, '✗', 'ADO ImageUpdateAutomation podinfo/podinfo'), // Readers only: cannot push
  v(PROD, '✗', 'ADO Provider flux-system/azure-devops'), // never added to the organization
  v(PROD, '?', 'ADO GitRepository flux-system/platform-policies'), // SSH URL: no organization to ask
  v(PROD, '✓', 'Federated credential for source-controller (clusters/production)'),
  v(PROD, '✓', 'Federated credential for ServiceAccount podinfo/podinfo-git'),
  v(PROD, '✓', 'Federated credential for ServiceAccount flux-system/sops-decryptor'),
  v(PROD, '✓', 'Federated credential for ServiceAccount platform/fleet-config-reader'),
  v(PROD, '✗', 'Federated credential for ServiceAccount flux-system/flux-notifier'), // audience with a trailing /
  v(PROD, '?', 'Federated credential for ServiceAccount podinfo/podinfo-source'), // trusts two clusters' issuers
  // clusters/staging
  v(STAGING, '✓', 'ACR OCIRepository podinfo/podinfo'),
  v(STAGING, '✓', 'ACR OCIRepository podinfo/podinfo-canary'), // AcrPull from a management group
  v(STAGING, '?', 'ACR OCIRepository podinfo/podinfo-smoke-tests'), // not an ACR login server
  v(STAGING, '✗', 'ACR HelmRepository flux-system/contoso-charts'), // AcrPull on rg-fleet-acr2 only
  v(STAGING, '✗', 'ABS Bucket platform/fleet-config'), // Reader, not Storage Blob Data Reader
  v(STAGING, '?', 'ABS Bucket platform/terraform-outputs'), // app registration; its account is in an unreadable subscription
  v(STAGING, '✗', 'AKV Secret flux-system/receiver-token'), // app registration; vault on access policies, none for it
  v(STAGING, '✓', 'AEH Provider flux-system/fleet-events'), // Azure Event Hubs Data Sender
  v(STAGING, '✓', 'ADO GitRepository flux-system/flux-system'), // in [fleet]\Readers (second page)
  v(STAGING, '?', 'ADO GitRepository flux-system/platform-policies'), // SSH URL
  v(STAGING, '✓', 'Federated credential for source-controller (clusters/staging)'),
  v(STAGING, '✗', 'Federated credential for ServiceAccount podinfo/podinfo-canary'), // subject typo
  v(STAGING, '✗', 'Federated credential for ServiceAccount platform/fleet-config-reader'), // subject case
  v(STAGING, '?', 'Federated credential for notification-controller (clusters/staging)'), // old cluster's issuer
  v(STAGING, '?', 'Federated credential for ServiceAccount podinfo/podinfo-source'), // trusts two clusters' issuers
];

/** Each cluster directory mapped to its AKS cluster (`.flux-azure.yaml`, the setting, `--aks-cluster`). */
export const EXAMPLES_AKS_CLUSTERS: Readonly<Record<string, string>> = { [PROD]: AKS_PROD, [STAGING]: AKS_STAGING };

/** What changes once the issuers are known: the rows the automatic search could not decide. */
export const MAPPED_CHANGES: readonly Verdict[] = [
  v(PROD, '✓', 'Federated credential for ServiceAccount podinfo/podinfo-source'),
  v(STAGING, '✓', 'Federated credential for ServiceAccount podinfo/podinfo-source'),
  v(STAGING, '✗', 'Federated credential for notification-controller (clusters/staging)'), // issuer differs
];

/** `table` with `changes` applied (a change replaces the row of the same cluster and name). */
export function withChanges(table: readonly Verdict[], changes: readonly Verdict[]): Verdict[] {
  return table.map((t) => changes.find((c) => c.cluster === t.cluster && c.row === t.row) ?? t);
}

/** A rendered tree row: its `label — description` text and depth (both harnesses walk the tree this way). */
export interface TreeRow {
  text: string;
  depth: number;
}

/**
 * The verdicts the readiness view shows: each row under a cluster (depth 1), its mark the first thing of the
 * description; integrations name their service right after it.
 */
export function treeVerdicts(rows: readonly TreeRow[]): Verdict[] {
  const out: Verdict[] = [];
  let cluster = '';
  for (const r of rows) {
    if (r.depth === 0) cluster = r.text.split(' — ')[0]!;
    if (r.depth !== 1) continue;
    const m = /^(.+?) — (✓|✗|\?) (\S+)/.exec(r.text);
    if (!m) throw new Error(`a readiness row without a mark: ${r.text}`);
    const [, label, mark, service] = m;
    out.push({
      cluster,
      mark: mark as Mark,
      row: label!.startsWith('Federated credential for ') ? label! : `${service} ${label}`,
    });
  }
  return out;
}

/** The verdicts of `flux-azure-check --azure --format json`: one per row and cluster. */
export function cliVerdicts(rows: readonly { title: string; mark: string; clusters: string[] }[]): Verdict[] {
  return rows.flatMap((r) =>
    (r.clusters.length ? r.clusters : ['(no cluster)']).map((cluster) => ({
      cluster,
      row: r.title,
      mark: r.mark as Mark,
    })),
  );
}

/** What differs between the table and what was observed, one line each (empty: they agree). */
export function verdictDifferences(expected: readonly Verdict[], observed: readonly Verdict[]): string[] {
  const key = (x: Verdict) => `${x.cluster} | ${x.row}`;
  const count = (list: readonly Verdict[]) => {
    const m = new Map<string, Verdict[]>();
    for (const x of list) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
    return m;
  };
  const want = count(expected);
  const got = count(observed);
  const out: string[] = [];
  for (const [k, list] of want) {
    const seen = got.get(k) ?? [];
    if (seen.length === 0) out.push(`missing: ${list[0]!.mark} ${k}`);
    else if (seen.length > 1) out.push(`shown ${seen.length} times: ${k}`);
    else if (seen[0]!.mark !== list[0]!.mark) out.push(`${k}: expected ${list[0]!.mark}, got ${seen[0]!.mark}`);
  }
  for (const [k, list] of got) if (!want.has(k)) out.push(`not in the table: ${list[0]!.mark} ${k}`);
  return out;
}

/** `3 ✓, 1 ✗, 2 ?` of a list. */
export function tally(list: readonly Verdict[]): string {
  const n = (m: Mark) => list.filter((x) => x.mark === m).length;
  return `${n('✓')} ✓, ${n('✗')} ✗, ${n('?')} ?`;
}
