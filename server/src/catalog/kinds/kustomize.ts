/** kustomize.toolkit.fluxcd.io: Flux's Kustomization (SOPS with Key Vault, remote AKS clusters). */
import { FLUX_API_GROUPS } from '../apiGroups';
import { FLUX_API_DOCS, fluxAzureDocs } from '../docs';
import { azureField, field, interval, kubeConfig, localRef, remoteAksIdentity, serviceAccountName } from './fields';
import { crdApiVersions, crdEnum, suspend, type KindShape } from './fields';

const GROUP = FLUX_API_GROUPS.kustomize;

export const KUSTOMIZE_KINDS = [
  {
    kind: 'Kustomization',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'Kustomization'),
    controller: 'kustomize-controller',
    services: ['keyVault', 'aks'],
    summary:
      'Builds a kustomize overlay from a source and applies it, optionally decrypting SOPS secrets and targeting a remote cluster.',
    azureWhen:
      'SOPS decryption with Key Vault keys (`spec.decryption`), or a remote AKS cluster via `spec.kubeConfig.configMapRef` (Flux 2.7+).',
    fields: [
      field(['spec', 'sourceRef'], 'object', 'Source artifact to build (GitRepository, OCIRepository, Bucket, ...).', {
        required: true,
      }),
      field(['spec', 'path'], 'string', 'Directory inside the artifact to build.'),
      interval('the Kustomization is reconciled'),
      field(['spec', 'prune'], 'boolean', 'Delete objects removed from the source.', { required: true }),
      serviceAccountName(
        '**Kubernetes impersonation** for applying manifests, not Azure authentication. For Key Vault SOPS workload identity use `spec.decryption.serviceAccountName`.',
        { azure: false },
      ),
      azureField(['spec', 'decryption'], 'object', 'SOPS decryption of Secrets during apply.'),
      field(
        ['spec', 'decryption', 'provider'],
        'string',
        "Decryption engine; only `sops`. The key type (Key Vault, age, PGP, ...) comes from the encrypted file's metadata.",
        {
          enum: crdEnum(GROUP, 'Kustomization', ['spec', 'decryption', 'provider'], {
            sops: { description: 'Mozilla SOPS.' },
          }),
          required: true,
        },
      ),
      azureField(
        ['spec', 'decryption', 'serviceAccountName'],
        'string',
        'ServiceAccount (same namespace) whose workload-identity annotations name the managed identity used for Key Vault `decrypt`. Needs the `ObjectLevelWorkloadIdentity` gate on kustomize-controller. Static credentials in `decryption.secretRef` take priority.',
        { versions: { since: '2.6' } },
      ),
      ...localRef(
        ['spec', 'decryption', 'secretRef'],
        'Secret with decryption keys; for Key Vault the key `sops.azure-kv` holds a nested YAML/JSON credentials document.',
        true,
      ),
      ...kubeConfig(
        'Apply to',
        'Secret holding a static kubeconfig (e.g. the AKS cluster-admin kubeconfig when Entra ID integration is off).',
      ),
      field(
        ['spec', 'kubeConfig', 'secretRef', 'key'],
        'string',
        'Key in the Secret holding the kubeconfig (defaults to `value` / `value.yaml`).',
      ),
      field(['spec', 'targetNamespace'], 'string', 'Namespace to set on all applied objects.'),
      suspend(),
    ],
    workloadIdentity: [
      {
        id: 'sopsKeyVault',
        serviceAccountField: ['spec', 'decryption', 'serviceAccountName'],
        versions: { since: '2.6' },
        gateControllers: ['kustomize-controller'],
        service: 'keyVault',
        description: 'Decrypt SOPS data keys in Key Vault as the managed identity of the ServiceAccount.',
      },
      remoteAksIdentity('kustomizationRemoteAks', 'kustomize-controller'),
    ],
    controllerLevel:
      'SOPS: leave `spec.decryption.serviceAccountName` unset (there is no provider field). Remote AKS: ConfigMap `provider: azure` without `serviceAccountName`.',
    docs: { azure: fluxAzureDocs('keyVault'), api: FLUX_API_DOCS.Kustomization },
  },
] as const satisfies readonly KindShape[];
