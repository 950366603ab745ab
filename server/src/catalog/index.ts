/**
 * The domain catalog: typed, I/O-free facts about Flux on Azure. Every editor feature reads it;
 * no other module restates a field list, role GUID, controller name, annotation key, env var,
 * flag or rule code.
 *
 * - table           `Keyed` row type and `lookup` / `keysOf` builders every table uses
 * - apiGroups       Flux toolkit API groups (`FLUX_API_GROUPS`), kustomize's own (`KUSTOMIZE_CONFIG_GROUP`)
 * - versions        Flux versions, `VersionRange`, `inRange`, `compareVersions`, `parseFluxVersion`
 * - identifiers     GUID / Kubernetes name / duration shapes
 * - docs            Flux Azure page anchors and API reference URLs
 * - clouds          public / US Gov / China hosts and suffixes
 * - controllers     the Flux controllers, lockdown flags
 * - crdValidations the CEL rules of each kind's CRD per Flux release (generated from the release manifests)
 * - featureGates    the feature gates each controller accepts per Flux release (generated from the controllers' sources)
 * - roles           built-in roles (GUIDs, permissions, caveats), permission matching
 * - scopes          ARM scope formats, parsing, coverage, role definition ids
 * - services        ACR, Blob, Key Vault, Event Hubs, Azure DevOps, AKS, Teams; endpoint regexes
 * - kinds/         Flux kinds (one file per API group), API versions, fields (hover text, enums), workload identity uses
 * - workloadIdentity annotations, env vars, projected token, feature gate, FIC subject
 * - secrets         Bucket / SOPS / controller-cert / Provider secret shapes, quoting rules
 * - sops            `.sops.yaml` creation-rule keys vs encrypted-file metadata names, Key Vault key URLs
 * - patches         flux-system patch paths, kinds, controller matrix, patch builders
 * - patchActions    the controller changes users ask for (patch kinds, inputs, controllers per version)
 * - jsonPatch       JSON6902 operations, path meanings, annotation paths
 * - secretRefs      what a secretRef's Secret must hold; fields that apply only in some configurations
 * - fluxInstance    Flux Operator FluxInstance equivalents
 * - installs        install modes (bootstrap, operator, Helm chart, AKS extension), gotk header, chart values, repo config
 * - remoteCluster   kubeConfig ConfigMap keys for remote AKS
 * - aso             Azure Service Operator RoleAssignment / FederatedIdentityCredential / UserAssignedIdentity
 * - placeholders    doc placeholders that mean "not filled in"
 * - references      the references between objects (definition / references)
 * - kubernetes      built-in API groups (`isBuiltinApiGroup`), strategic-merge list keys (`mergeKeyOf`)
 * - rules/          diagnostic metadata, one file per area (`RULES`, `RuleCode`, `ruleByCode`)
 */
export * from './apiGroups';
export * from './versions';
export * from './identifiers';
export * from './docs';
export * from './clouds';
export * from './controllers';
export * from './featureGates';
export * from './crdValidations';
export * from './roles';
export * from './scopes';
export * from './services';
export * from './endpoints';
export * from './kinds';
export * from './workloadIdentity';
export * from './secrets';
export * from './sops';
export * from './patches';
export * from './patchActions';
export * from './jsonPatch';
export * from './secretRefs';
export * from './fluxInstance';
export * from './installs';
export * from './remoteCluster';
export * from './aso';
export * from './placeholders';
export * from './postBuild';
export * from './references';
export * from './kubernetes';
export * from './rules';
