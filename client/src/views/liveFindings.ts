/**
 * Readiness results as findings on the manifest lines they concern ("Flux on Azure (live)" diagnostics): ✗ as a
 * warning, ? as information, each with what fixes it. Pure (no vscode): the controller turns them into
 * diagnostics after each readiness load, and clears them when there is none (signed out, offline).
 */
import type { ManifestLocation } from '../../../shared/src/protocol';
import type { FederationView } from '../../../azure/src/model';
import { readinessFindings, type ReadinessRow } from '../../../azure/src/findings';
import type { AzureNode } from './azureNodes';

/** The diagnostics' `source`. */
export const LIVE_SOURCE = 'Flux on Azure (live)';

export interface LiveFinding {
  location: ManifestLocation;
  severity: 'warning' | 'information';
  /** `readiness-missing`, `readiness-unknown`, `federation-missing`, `federation-unknown`. */
  code: string;
  message: string;
  /** The tree node the fix commands take (copy the az command, insert the ASO manifest). */
  node: AzureNode;
  /** What the code actions offer for it. */
  fixes: ('grant' | 'federatedCredential' | 'copyFix')[];
  /** A command to copy as is (access policy, local auth, cluster settings). */
  fixCommand?: string;
}

export function liveFindings(rows: readonly ReadinessRow[], federation: readonly FederationView[]): LiveFinding[] {
  const out: LiveFinding[] = [];
  const seen = new Set<string>();
  const rowOf = new Map(rows.map((row) => [row.integration.key, row]));
  const viewOf = new Map(federation.map((f) => [f.key, f]));
  // What the manifests alone decide is already a diagnostic of the language server; only Azure's answers here.
  for (const f of readinessFindings(rows, federation)) {
    if (f.state === 'ok' || f.fromManifests || !f.location) continue;
    const mark = f.state === 'missing' ? '✗' : '?';
    const row = f.kind === 'integration' ? rowOf.get(f.key) : undefined;
    const view = f.kind === 'federation' ? viewOf.get(f.key) : undefined;
    const message = row
      ? `${mark} ${row.integration.service.abbreviation}: ${f.summary}${f.clusters.length ? ` [${f.clusters.join(', ')}]` : ''}`
      : `${mark} Federated credential (${view!.cluster}): ${f.summary}`;
    const key = `${f.location.uri}|${f.location.range.start.line}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node: AzureNode = row
      ? { type: 'integration', row, cluster: row.integration.clusters[0] ?? '(no cluster)' }
      : { type: 'federation', view: view! };
    out.push({
      location: f.location,
      severity: f.state === 'missing' ? 'warning' : 'information',
      code: `${f.kind === 'integration' ? 'readiness' : 'federation'}-${f.state}`,
      message,
      node,
      fixes: [
        ...(f.grant ? (['grant'] as const) : []),
        ...(f.federatedCredential ? (['federatedCredential'] as const) : []),
        ...(f.fixCommand ? (['copyFix'] as const) : []),
      ],
      ...(f.fixCommand ? { fixCommand: f.fixCommand } : {}),
    });
  }
  return out;
}
