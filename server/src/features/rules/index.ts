import { apiVersion } from './apiVersion';
import { controllerPatchRules } from './controllerPatchRules';
import { gateMissing } from './gateMissing';
import { notificationProvider } from './notificationProvider';
import { placeholders } from './placeholders';
import { bucketSecretKeys, sendChainQuoting, sopsAzureKv } from './secretValues';
import { plaintextCredentials } from './security';
import { serviceAccountAnnotations, serviceAccountAnnotationValues } from './serviceAccountAnnotations';
import {
  acrHost,
  adoGitUrl,
  bucketServiceAccount,
  gitServiceAccountProvider,
  helmProviderIgnored,
  secretRefOverridesProvider,
} from './sourceFields';
import { versionUnsupported } from './versionUnsupported';
import { providerAzureMissing } from './providerAzureMissing';
import {
  aksObjectLevelUnstable,
  eventHubJwtDeprecated,
  helmRepositoryNoServiceAccount,
  kustomizationImpersonation,
} from './objectHints';
import { controllerCertificate } from './controllerCertificate';
import { nodeLevelIdentity } from './nodeLevelIdentity';
import { federatedCredential, roleAssignment } from './azureServiceOperator';
import { renderProblems } from './renderProblems';
import { renamedServiceAccount } from './renamedServiceAccount';
import { sopsConfigKeyVault } from './sopsConfig';
import { sopsDecryptionMissing } from './sopsDecryption';
import type { Rule } from './rule';

/** Every rule the server runs, in reporting order. */
export const RULES: readonly Rule[] = [
  apiVersion,
  gateMissing,
  versionUnsupported,
  serviceAccountAnnotations,
  serviceAccountAnnotationValues,
  renamedServiceAccount,
  gitServiceAccountProvider,
  bucketServiceAccount,
  notificationProvider,
  secretRefOverridesProvider,
  acrHost,
  adoGitUrl,
  helmProviderIgnored,
  sendChainQuoting,
  bucketSecretKeys,
  sopsAzureKv,
  sopsDecryptionMissing,
  sopsConfigKeyVault,
  controllerPatchRules,
  providerAzureMissing,
  nodeLevelIdentity,
  helmRepositoryNoServiceAccount,
  kustomizationImpersonation,
  eventHubJwtDeprecated,
  aksObjectLevelUnstable,
  controllerCertificate,
  federatedCredential,
  roleAssignment,
  plaintextCredentials,
  placeholders,
  renderProblems,
];
