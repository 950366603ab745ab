import { describeRange, inRange, OBJECT_LEVEL_WI_GATE } from '../../catalog';
import { fluxObjectRule, workloadIdentityUses } from './helpers';
import type { Finding, Rule } from './rule';

/** Rule 2: object-level workload identity for this kind needs a newer Flux than the cluster runs. */
export const versionUnsupported: Rule = fluxObjectRule('version-unsupported', ({ doc, clusters, index }, lookup) => {
  const findings: Finding[] = [];
  for (const { use, serviceAccount } of workloadIdentityUses(doc, lookup)) {
    const override = index.fluxVersionFor(doc.file.uri);
    const targets =
      clusters.length > 0
        ? clusters.map((c) => ({ label: c.label, version: c.fluxVersion?.version }))
        : [{ label: 'this repository', version: override }];
    const old = targets.filter(
      (t) => t.version && !inRange(override && clusters.length === 0 ? override : t.version, use.versions),
    );
    if (old.length === 0) continue;
    findings.push({
      code: 'flux-azure/object-level-wi-unsupported-version',
      span: serviceAccount,
      message:
        `Object-level workload identity for ${doc.kind} needs ${describeRange(use.versions)}, but ` +
        old.map((t) => `${t.label} runs Flux ${t.version}`).join(', ') +
        `. The controller ignores serviceAccountName for Azure there (or, without ${OBJECT_LEVEL_WI_GATE} support, rejects the gate). ` +
        `Upgrade Flux, or use controller-level identity: set provider: azure and remove serviceAccountName.`,
    });
  }
  return findings;
});
