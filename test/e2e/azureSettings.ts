// The settings of a private-cloud user, pointed at the local ARM / Entra stand-in, for the Azure view suites.
import * as vscode from 'vscode';
import type { StandIn } from '../azure/standIn';
import { OPERATOR, T1 } from '../azure/world';

/** The section of the Azure views' settings. */
export const AZURE_SETTINGS = 'fluxAzure.azure';

const PORTAL = 'https://portal.contoso-private.test';

/** The settings `useStandInCloud` writes. */
const KEYS = [
  'cloud',
  'signInMethod',
  'customCloud.resourceManagerEndpoint',
  'customCloud.tokenAudience',
  'customCloud.authorityHost',
  'customCloud.portalUrl',
  'customCloud.certificateAuthorityFile',
  'customCloud.azureDevOpsGraphEndpoint',
  'customCloud.graphEndpoint',
] as const;

function standInSettings(standIn: StandIn): Record<(typeof KEYS)[number], string> {
  return {
    cloud: 'custom',
    signInMethod: 'environment',
    'customCloud.resourceManagerEndpoint': standIn.url,
    'customCloud.tokenAudience': standIn.audience,
    'customCloud.authorityHost': standIn.url,
    'customCloud.portalUrl': PORTAL,
    'customCloud.certificateAuthorityFile': standIn.caFile,
    // Azure DevOps' graph API and Microsoft Graph: the stand-in speaks both.
    'customCloud.azureDevOpsGraphEndpoint': standIn.url,
    'customCloud.graphEndpoint': standIn.url,
  };
}

/**
 * What a user of a private cloud sets (user settings): the stand-in as custom cloud with its CA file, and the
 * "environment" sign-in method with the operator's service principal in VS Code's environment (a client secret).
 */
export async function useStandInCloud(standIn: StandIn): Promise<void> {
  process.env.AZURE_TENANT_ID = T1;
  process.env.AZURE_CLIENT_ID = OPERATOR.clientId;
  process.env.AZURE_CLIENT_SECRET = OPERATOR.secret;
  delete process.env.AZURE_CLIENT_CERTIFICATE_PATH;
  const config = vscode.workspace.getConfiguration(AZURE_SETTINGS);
  for (const [key, value] of Object.entries(standInSettings(standIn)))
    await config.update(key, value, vscode.ConfigurationTarget.Global);
}

/** Removes what `useStandInCloud` set (the environment keeps the operator's client secret). */
export async function resetAzureSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration(AZURE_SETTINGS);
  for (const key of KEYS) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  process.env.AZURE_CLIENT_SECRET = OPERATOR.secret;
  delete process.env.AZURE_CLIENT_CERTIFICATE_PATH;
}
