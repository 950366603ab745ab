import { inRange, LABEL_USE, PROVIDER_STATIC_CREDENTIAL_KEYS } from '../../catalog';
import { fluxObjectRule, isFluxDoc, namespaceOf, workloadIdentityUses } from './helpers';
import type { Finding, Rule } from './rule';

/** Rule 11 (second half): HelmRepository has no serviceAccountName; multi-tenant ACR charts need OCIRepository. */
export const helmRepositoryNoServiceAccount: Rule = {
  name: 'helmrepository-no-object-level-wi',
  applies: (doc) => isFluxDoc(doc, 'HelmRepository'),
  check: ({ doc }) => {
    const sa = doc.get(['spec', 'serviceAccountName']);
    if (!sa) return [];
    return [
      {
        code: 'flux-azure/helmrepository-no-object-level-wi',
        span: sa,
        message:
          'HelmRepository has no serviceAccountName field: the API server drops it and source-controller uses its own identity. ' +
          'For a per-tenant identity on ACR, use an OCIRepository with serviceAccountName and reference it from the HelmRelease (chartRef).',
      },
    ];
  },
};

/** Rule 13: Kustomization `spec.serviceAccountName` is Kubernetes impersonation, not the SOPS/Key Vault identity. */
export const kustomizationImpersonation: Rule = {
  name: 'kustomization-impersonation-sa',
  applies: (doc) => isFluxDoc(doc, 'Kustomization'),
  check: ({ doc }) => {
    if (!doc.group.startsWith('kustomize.toolkit')) return [];
    const sa = doc.scalar(['spec', 'serviceAccountName']);
    const decryption = doc.get(['spec', 'decryption']);
    if (
      !sa ||
      !decryption ||
      doc.get(['spec', 'decryption', 'serviceAccountName']) ||
      doc.get(['spec', 'decryption', 'secretRef'])
    )
      return [];
    return [
      {
        code: 'flux-azure/kustomization-impersonation-sa',
        span: sa,
        message:
          `spec.serviceAccountName is the account kustomize-controller impersonates to apply manifests; it does not give SOPS access to Key Vault. ` +
          `To decrypt with a workload identity, set spec.decryption.serviceAccountName.`,
      },
    ];
  },
};

/** Event Hubs JWT `token` authentication is deprecated since Flux 2.7. */
export const eventHubJwtDeprecated: Rule = {
  name: 'eventhub-jwt-deprecated',
  applies: (doc) => isFluxDoc(doc, 'Provider'),
  check: ({ doc, index, fluxVersion }) => {
    if (doc.text(['spec', 'type']) !== 'azureeventhub' || !fluxVersion || !inRange(fluxVersion, { since: '2.7' }))
      return [];
    const ref = doc.scalar(['spec', 'secretRef', 'name']);
    const secret = ref ? index.secrets(ref.text, namespaceOf(doc, index), doc.file.uri)[0] : undefined;
    const [token, address] = PROVIDER_STATIC_CREDENTIAL_KEYS;
    if (!ref || !secret || !secret.keys.includes(token) || secret.keys.includes(address)) return [];
    return [
      {
        code: 'flux-azure/eventhub-jwt-deprecated',
        span: ref,
        message: `Secret '${secret.name}' authenticates to Event Hubs with a JWT '${token}', deprecated since Flux 2.7 and removed with Provider v1. Use workload identity (serviceAccountName) or a SAS connection string in '${address}'.`,
        related: [{ location: { uri: secret.uri, range: secret.range }, message: `Secret ${secret.name}` }],
      },
    ];
  },
};

/** Rule 17: object-level workload identity on AKS (where the webhook is in use) is flagged unstable by Flux. */
export const aksObjectLevelUnstable: Rule = fluxObjectRule('aks-object-level-unstable', ({ doc, clusters }, lookup) => {
  const aks = clusters.filter((c) => [...c.settings.values()].flat().some((s) => s.podLabels[LABEL_USE] !== undefined));
  if (aks.length === 0) return [];
  const findings: Finding[] = [];
  for (const { serviceAccount } of workloadIdentityUses(doc, lookup)) {
    findings.push({
      code: 'flux-azure/aks-object-level-unstable',
      span: serviceAccount,
      severity: 4,
      message: `${aks.map((c) => c.label).join(', ')} ${aks.length > 1 ? 'use' : 'uses'} the AKS workload-identity webhook; Flux flags object-level workload identity on AKS as unstable (fluxcd/flux2#5359). Controller-level identity is the conservative choice.`,
    });
  }
  return findings;
});
