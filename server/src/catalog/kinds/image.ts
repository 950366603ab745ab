/** image.toolkit.fluxcd.io: image scanning (ACR) and image update automation (Azure DevOps pushes). */
import { FLUX_API_GROUPS } from '../apiGroups';
import { FLUX_API_DOCS, fluxAzureDocs } from '../docs';
import { azureField, crdApiVersions, crdEnum, field, interval, localRef, reconciliation } from './fields';
import { registryConnection, registryProvider, secretRef, serviceAccountIdentity } from './fields';
import { serviceAccountName, suspend, type KindShape } from './fields';

const GROUP = FLUX_API_GROUPS.image;

/** The fields of ImageUpdateAutomation's `spec.sourceRef` (always a GitRepository). */
const GIT_SOURCE_REF = [
  azureField(
    ['spec', 'sourceRef'],
    'object',
    'The GitRepository to update; its `provider` and `serviceAccountName` decide how pushes to Azure DevOps authenticate.',
    { required: true },
  ),
  field(['spec', 'sourceRef', 'kind'], 'string', 'Must be `GitRepository`.', {
    enum: crdEnum(GROUP, 'ImageUpdateAutomation', ['spec', 'sourceRef', 'kind'], {
      GitRepository: { description: 'The only supported source.' },
    }),
    required: true,
  }),
  azureField(['spec', 'sourceRef', 'name'], 'string', 'Name of the GitRepository.', { required: true }),
  field(['spec', 'sourceRef', 'namespace'], 'string', "Namespace of the GitRepository (defaults to this object's)."),
];

export const IMAGE_KINDS = [
  {
    kind: 'ImageRepository',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'ImageRepository'),
    controller: 'image-reflector-controller',
    services: ['acr'],
    summary: 'Scans an image repository for tags.',
    azureWhen: '`spec.provider: azure` and an ACR `spec.image`.',
    fields: [
      azureField(
        ['spec', 'image'],
        'string',
        'Image repository without tag, e.g. `myregistry.azurecr.io/app`. With `provider: azure` the host must be an ACR login server.',
        { required: true },
      ),
      registryProvider(
        GROUP,
        'ImageRepository',
        'Cloud login for the registry. Since Flux 2.7 this is the only way to get ACR login (the `--azure-autologin-for-acr` flag was removed). Ignored when `secretRef` yields credentials.',
      ),
      serviceAccountName(
        'With `provider: azure`: ServiceAccount whose workload-identity annotations name the managed identity (needs the `ObjectLevelWorkloadIdentity` gate on image-reflector-controller). With `generic`: its `imagePullSecrets` are the credentials.',
        { maxLength: 253 },
      ),
      ...secretRef(
        'Secret of type `kubernetes.io/dockerconfigjson`. Wins over `provider: azure` when it yields credentials.',
        true,
      ),
      ...registryConnection(),
      field(['spec', 'exclusionList'], 'array', 'Regular expressions of tags to ignore (at most 25).'),
      ...reconciliation('the registry is scanned', 'a registry scan'),
    ],
    workloadIdentity: [
      serviceAccountIdentity(
        'imageRepository',
        { controller: 'image-reflector-controller', service: 'acr', since: '2.6' },
        'List ACR tags',
      ),
    ],
    controllerLevel: 'Set `spec.provider: azure` and leave `spec.serviceAccountName` unset.',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.ImageRepository },
  },
  {
    kind: 'ImagePolicy',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'ImagePolicy'),
    controller: 'image-reflector-controller',
    services: ['acr'],
    summary: 'Picks the latest image tag of an ImageRepository by a policy (semver, alphabetical, numerical).',
    azureWhen: 'Indirectly: digest lookups reuse the authentication of the referenced ImageRepository.',
    fields: [
      ...localRef(
        ['spec', 'imageRepositoryRef'],
        'The ImageRepository whose tags are evaluated (may name another namespace if allowed).',
        true,
      ),
      field(
        ['spec', 'digestReflectionPolicy'],
        'string',
        'Whether the selected tag is resolved to a digest in `.status.latestRef.digest` (uses the ImageRepository credentials).',
        {
          enum: crdEnum(GROUP, 'ImagePolicy', ['spec', 'digestReflectionPolicy'], {
            Never: { description: 'Do not look up digests.' },
            IfNotPresent: { description: 'Look up the digest once per selected tag.' },
            Always: { description: 'Re-resolve the digest every `interval` (requires `interval`).' },
          }),
          default: 'Never',
        },
      ),
      field(
        ['spec', 'interval'],
        'duration',
        'Digest refresh period. Only accepted, and then required, when `digestReflectionPolicy: Always`.',
      ),
      field(['spec', 'policy'], 'object', 'Tag ordering rule: `semver`, `alphabetical` or `numerical`.', {
        required: true,
      }),
      field(['spec', 'filterTags'], 'object', 'Regex filter/extract applied to tags before the policy.'),
    ],
    workloadIdentity: [],
    controllerLevel: 'Inherits from the referenced ImageRepository.',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.ImagePolicy },
  },
  {
    kind: 'ImageUpdateAutomation',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'ImageUpdateAutomation'),
    controller: 'image-automation-controller',
    services: ['azureDevOps'],
    summary: 'Rewrites image references in a Git repository and pushes the commit.',
    azureWhen:
      'When the referenced GitRepository uses `provider: azure`; authentication comes from that GitRepository.',
    fields: [
      ...GIT_SOURCE_REF,
      field(['spec', 'git'], 'object', 'Checkout, commit and push settings.'),
      field(['spec', 'git', 'checkout'], 'object', 'Branch to check out (defaults to the GitRepository ref).'),
      field(['spec', 'git', 'commit'], 'object', 'Author, signing key and message template.', { required: true }),
      azureField(
        ['spec', 'git', 'push'],
        'object',
        'Branch / refspec to push to. Azure DevOps needs the identity in the project **Contributors** group.',
      ),
      field(['spec', 'update'], 'object', 'Where and how to apply updates.'),
      field(['spec', 'update', 'path'], 'string', 'Directory to scan for image policy markers.'),
      field(['spec', 'update', 'strategy'], 'string', 'Update strategy (optional since Flux 2.7).', {
        enum: crdEnum(GROUP, 'ImageUpdateAutomation', ['spec', 'update', 'strategy'], {
          Setters: { description: 'Replace values marked with `# {"$imagepolicy": ...}` comments.' },
        }),
        default: 'Setters',
      }),
      interval('the automation runs'),
      suspend(),
    ],
    workloadIdentity: [
      {
        id: 'imageUpdateAutomation',
        serviceAccountField: ['spec', 'sourceRef'],
        via: 'gitRepositoryRef',
        requires: { path: ['spec', 'provider'], values: ['azure'] },
        versions: { since: '2.7' },
        gateControllers: ['image-automation-controller', 'source-controller'],
        service: 'azureDevOps',
        description:
          "Push to Azure DevOps as the managed identity named by the GitRepository's `serviceAccountName`; image-automation-controller needs the gate too.",
      },
    ],
    controllerLevel:
      'The referenced GitRepository sets `provider: azure` without `serviceAccountName`; image-automation-controller needs its own identity patch.',
    docs: { azure: fluxAzureDocs('ado'), api: FLUX_API_DOCS.ImageUpdateAutomation },
  },
] as const satisfies readonly KindShape[];
