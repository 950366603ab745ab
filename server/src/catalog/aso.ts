/**
 * Azure Service Operator v2 resources used to provision Flux's Azure access in a GitOps way:
 * RoleAssignment, FederatedIdentityCredential and UserAssignedIdentity.
 */
import { GUID_PATTERN } from './identifiers';
import type { FieldDef, ResourceTypeShape } from './kinds/fields';
import type { Keyed } from './table';

/** A field of an ASO resource: the hover facts a Flux field has, with plain string enum values. */
export interface AsoFieldDef extends Pick<FieldDef, 'path' | 'description' | 'required' | 'pattern'> {
  readonly enum?: readonly string[];
  /** Field that is an alternative to this one (exactly one of them). */
  readonly alternativeTo?: readonly string[];
}

export interface AsoApiVersionDef {
  readonly version: string;
  readonly current: boolean;
}

/** Shape of a `ASO_RESOURCES` entry before its `kind` is narrowed to `AsoKind`. */
export interface AsoResourceShape extends ResourceTypeShape<AsoApiVersionDef, AsoFieldDef> {
  readonly description: string;
  readonly docsUrl: string;
}

const ASO_PRINCIPAL_TYPES = ['ServicePrincipal', 'User', 'Group', 'ForeignGroup', 'Device'] as const;
/** `azureName` of a FederatedIdentityCredential. */
const FIC_AZURE_NAME_PATTERN = '^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$';

const ASO_RESOURCES_LITERAL = [
  {
    kind: 'RoleAssignment',
    group: 'authorization.azure.com',
    apiVersions: [
      { version: 'v1api20220401', current: true },
      { version: 'v1api20200801preview', current: false },
    ],
    description: 'Grants a role to a principal. The owner **is** the scope of the assignment.',
    fields: [
      {
        path: ['spec', 'owner'],
        description:
          'Scope of the grant: `{group, kind, name}` of an ASO resource (e.g. `containerregistry.azure.com` `Registry`, `resources.azure.com` `ResourceGroup`) or `{armId: <scope>}`.',
        required: true,
      },
      { path: ['spec', 'owner', 'armId'], description: 'ARM scope id when the scope is not managed by ASO.' },
      { path: ['spec', 'owner', 'group'], description: 'API group of the owning ASO resource.' },
      { path: ['spec', 'owner', 'kind'], description: 'Kind of the owning ASO resource.' },
      { path: ['spec', 'owner', 'name'], description: 'Name of the owning ASO resource.' },
      {
        path: ['spec', 'principalId'],
        description: 'Principal (object) ID of the service principal — not the client ID.',
        pattern: `^${GUID_PATTERN}$`,
        alternativeTo: ['spec', 'principalIdFromConfig'],
      },
      {
        path: ['spec', 'principalIdFromConfig'],
        description:
          'ConfigMap reference `{name, key}` holding the principal ID, e.g. exported by a UserAssignedIdentity `operatorSpec.configMaps.principalId`.',
        alternativeTo: ['spec', 'principalId'],
      },
      {
        path: ['spec', 'principalType'],
        description: 'Kind of principal; `ServicePrincipal` for managed identities and apps.',
        enum: ASO_PRINCIPAL_TYPES,
      },
      {
        path: ['spec', 'roleDefinitionReference'],
        description:
          'Role to grant: `{armId: /providers/Microsoft.Authorization/roleDefinitions/<GUID>}` or `{wellKnownName: AcrPull}`.',
        required: true,
      },
      {
        path: ['spec', 'roleDefinitionReference', 'armId'],
        description: 'Role definition id `/providers/Microsoft.Authorization/roleDefinitions/<GUID>`.',
      },
      {
        path: ['spec', 'roleDefinitionReference', 'wellKnownName'],
        description: 'Built-in role name, matched case-insensitively (e.g. `AcrPull`).',
      },
      {
        path: ['spec', 'azureName'],
        description: 'Assignment name; must be a UUID. ASO derives a stable one when omitted.',
        pattern: `^${GUID_PATTERN}$`,
      },
      { path: ['spec', 'condition'], description: 'ABAC condition narrowing the grant.' },
      { path: ['spec', 'conditionVersion'], description: 'Condition language version (`2.0`).' },
      { path: ['spec', 'description'], description: 'Free text.' },
      {
        path: ['spec', 'delegatedManagedIdentityResourceId'],
        description: 'For delegated managed identity assignments (rare).',
      },
    ],
    docsUrl: 'https://azure.github.io/azure-service-operator/reference/authorization/',
  },
  {
    kind: 'FederatedIdentityCredential',
    group: 'managedidentity.azure.com',
    apiVersions: [
      { version: 'v1api20230131', current: true },
      { version: 'v1api20220131preview', current: false },
    ],
    description:
      'Lets a Kubernetes ServiceAccount (subject) of a cluster (issuer) impersonate a user-assigned managed identity.',
    fields: [
      { path: ['spec', 'owner'], description: 'The UserAssignedIdentity: `{name}` or `{armId}`.', required: true },
      { path: ['spec', 'audiences'], description: 'Must be `["api://AzureADTokenExchange"]`.', required: true },
      {
        path: ['spec', 'issuer'],
        description: 'OIDC issuer URL of the cluster (exact string; case-sensitive).',
        alternativeTo: ['spec', 'issuerFromConfig'],
      },
      {
        path: ['spec', 'issuerFromConfig'],
        description: 'ConfigMap reference `{name, key}` holding the issuer URL.',
        alternativeTo: ['spec', 'issuer'],
      },
      {
        path: ['spec', 'subject'],
        description: '`system:serviceaccount:<namespace>:<name>` of the ServiceAccount (case-sensitive).',
        pattern: '^system:serviceaccount:[^:]+:[^:]+$',
        alternativeTo: ['spec', 'subjectFromConfig'],
      },
      {
        path: ['spec', 'subjectFromConfig'],
        description: 'ConfigMap reference `{name, key}` holding the subject.',
        alternativeTo: ['spec', 'subject'],
      },
      {
        path: ['spec', 'azureName'],
        description: 'Credential name (3–120 characters: letters, digits, `-`, `_`; starts with a letter or digit).',
        pattern: FIC_AZURE_NAME_PATTERN,
      },
    ],
    docsUrl: 'https://azure.github.io/azure-service-operator/reference/managedidentity/',
  },
  {
    kind: 'UserAssignedIdentity',
    group: 'managedidentity.azure.com',
    apiVersions: [
      { version: 'v1api20230131', current: true },
      { version: 'v1api20181130', current: false }, // [I] older storage version, not verified against ASO source
    ],
    description:
      'A user-assigned managed identity; can export its IDs to ConfigMaps for RoleAssignment and ServiceAccount annotations.',
    fields: [
      { path: ['spec', 'owner'], description: 'The ResourceGroup (`{name}` or `{armId}`).', required: true },
      { path: ['spec', 'location'], description: 'Azure region.', required: true },
      {
        path: ['spec', 'operatorSpec', 'configMaps', 'clientId'],
        description: 'ConfigMap `{name, key}` to receive the client ID (for `azure.workload.identity/client-id`).',
      },
      {
        path: ['spec', 'operatorSpec', 'configMaps', 'principalId'],
        description:
          'ConfigMap `{name, key}` to receive the principal ID (for RoleAssignment `principalIdFromConfig`).',
      },
      {
        path: ['spec', 'operatorSpec', 'configMaps', 'tenantId'],
        description: 'ConfigMap `{name, key}` to receive the tenant ID.',
      },
      { path: ['spec', 'operatorSpec', 'secrets'], description: 'Same values exported to Secrets instead.' },
    ],
    docsUrl: 'https://azure.github.io/azure-service-operator/reference/managedidentity/',
  },
] as const satisfies readonly AsoResourceShape[];

export type AsoKind = (typeof ASO_RESOURCES_LITERAL)[number]['kind'];

export type AsoResourceDef = Keyed<AsoResourceShape, 'kind', AsoKind>;

export const ASO_RESOURCES: readonly AsoResourceDef[] = ASO_RESOURCES_LITERAL;

/** ASO resource for `apiVersion` + `kind` (any listed version), or undefined. */
export function asoResource(
  apiVersion: string,
  kind: string,
): { def: AsoResourceDef; version: string; knownVersion: boolean } | undefined {
  const [group, version = ''] = apiVersion.split('/');
  const def = ASO_RESOURCES.find((r) => r.kind === kind && r.group === group);
  if (!def) return undefined;
  return {
    def,
    version,
    knownVersion: (def.apiVersions as readonly AsoApiVersionDef[]).some((v) => v.version === version),
  };
}
