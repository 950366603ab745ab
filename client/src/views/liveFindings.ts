/**
 * Readiness results as findings on the manifest lines they concern ("Flux on Azure (live)" diagnostics): ✗ as a
 * warning, ? as information, each with what fixes it. Pure (no vscode): the controller turns them into
 * diagnostics after each readiness load, and clears them when there is none (signed out, offline).
 */
import type { ManifestLocation } from '../../../shared/src/protocol';
import type { FederationView } from '../../../azure/src/model';
import type { AzureNode, ReadinessRow } from './azureNodes';

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
  const add = (f: LiveFinding) => {
    const key = `${f.location.uri}|${f.location.range.start.line}|${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(f);
  };
  for (const row of rows) {
    const r = row.result;
    // What the manifests alone decide is already a diagnostic of the language server; only Azure's answers here.
    if (!r || r.state === 'ok' || row.integration.unknown || row.integration.need.kind === 'adoGroup') continue;
    const i = row.integration;
    const where = i.clusters.length ? ` [${i.clusters.join(', ')}]` : '';
    add({
      location: i.object.location,
      severity: r.state === 'missing' ? 'warning' : 'information',
      code: `readiness-${r.state}`,
      message: `${r.state === 'missing' ? '✗' : '?'} ${i.service.abbreviation}: ${r.summary}${where}`,
      node: { type: 'integration', row, cluster: i.clusters[0] ?? '(no cluster)' },
      fixes: [...(r.grant ? (['grant'] as const) : []), ...(r.fixCommand ? (['copyFix'] as const) : [])],
      ...(r.fixCommand ? { fixCommand: r.fixCommand } : {}),
    });
  }
  for (const f of federation) {
    if (f.state === 'ok' || !f.location) continue;
    add({
      location: f.location,
      severity: f.state === 'missing' ? 'warning' : 'information',
      code: `federation-${f.state}`,
      message: `${f.state === 'missing' ? '✗' : '?'} Federated credential (${f.cluster}): ${f.summary}`,
      node: { type: 'federation', view: f },
      fixes: [...(f.fix ? (['federatedCredential'] as const) : []), ...(f.fixCommand ? (['copyFix'] as const) : [])],
      ...(f.fixCommand ? { fixCommand: f.fixCommand } : {}),
    });
  }
  return out;
}
