/** helm.toolkit.fluxcd.io: HelmRelease (remote AKS clusters; ACR charts come through a source). */
import { FLUX_API_GROUPS } from '../apiGroups';
import { FLUX_API_DOCS, fluxAzureDocs } from '../docs';
import { azureField, field, interval, kubeConfig, remoteAksIdentity, serviceAccountName } from './fields';
import { crdApiVersions, suspend, type KindShape } from './fields';

export const HELM_KINDS = [
  {
    kind: 'HelmRelease',
    group: FLUX_API_GROUPS.helm,
    apiVersions: crdApiVersions(FLUX_API_GROUPS.helm, 'HelmRelease'),
    controller: 'helm-controller',
    services: ['aks'],
    summary: 'Installs and upgrades a Helm chart.',
    azureWhen:
      'Remote AKS cluster via `spec.kubeConfig.configMapRef` (Flux 2.7+). ACR charts are fetched by source-controller (`chartRef` to an OCIRepository).',
    fields: [
      azureField(
        ['spec', 'chartRef'],
        'object',
        'Reference to an OCIRepository or HelmChart holding the chart. Prefer an OCIRepository for ACR charts: it supports per-object workload identity, HelmRepository does not.',
      ),
      field(['spec', 'chart'], 'object', 'Inline HelmChart template (chart name, version, sourceRef).'),
      serviceAccountName('**Kubernetes impersonation** for Helm actions, not Azure authentication.', { azure: false }),
      ...kubeConfig('Install into', 'Secret holding a static kubeconfig.'),
      interval('the release is reconciled'),
      suspend(),
    ],
    workloadIdentity: [remoteAksIdentity('helmReleaseRemoteAks', 'helm-controller')],
    controllerLevel:
      'Remote AKS: ConfigMap `provider: azure` without `serviceAccountName`; helm-controller gets the identity patch.',
    docs: { azure: fluxAzureDocs('aks'), api: FLUX_API_DOCS.HelmRelease },
  },
] as const satisfies readonly KindShape[];
