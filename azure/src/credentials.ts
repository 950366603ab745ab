/**
 * Credentials for each sign-in method. The default wraps the VS Code Microsoft account: `getSession` is called on
 * every `getToken` (VS Code refreshes the session) and the expiry comes from the token's `exp`, so the SDK's token
 * cache refreshes in time. The others come from `@azure/identity`. Tokens are never logged.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential,
  DefaultAzureCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type DeviceCodeInfo,
} from '@azure/identity';
import { decodeJwt } from './jwt';
import type { CloudEndpoints, SignInMethod } from './model';

/** No session, or the credential needs the user to sign in interactively. */
export class NotSignedInError extends Error {
  override readonly name = 'NotSignedInError';
}

/** A VS Code authentication session, as much of it as the credential needs. */
export interface VscodeSessionLike {
  accessToken: string;
  account: { label: string };
}

/** `vscode.authentication.getSession` bound to a provider; `interactive` = `createIfNone`, else `silent`. */
export type GetVscodeSession = (scopes: string[], interactive: boolean) => Promise<VscodeSessionLike | undefined>;

/** Token scope for ARM of a cloud: the audience followed by `/.default` (`https://management.core.windows.net//.default`). */
export function armScope(cloud: CloudEndpoints): string {
  return `${cloud.armAudience}/.default`;
}

/** A TokenCredential over VS Code's Microsoft account sessions, one per tenant (`VSCODE_TENANT:<id>`). */
export class VscodeSessionCredential implements TokenCredential {
  /** Label of the account of the last session seen. */
  accountLabel: string | undefined;

  constructor(private readonly getSession: GetVscodeSession) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.token(scopes, options?.tenantId, false);
  }

  /** Asks VS Code to sign in (the explicit "Sign in" command), to one tenant when given. */
  async signIn(scopes: string | string[], tenantId?: string): Promise<AccessToken> {
    return this.token(scopes, tenantId, true);
  }

  private async token(
    scopes: string | string[],
    tenantId: string | undefined,
    interactive: boolean,
  ): Promise<AccessToken> {
    const list = (Array.isArray(scopes) ? [...scopes] : [scopes]).filter((s) => !s.startsWith('VSCODE_TENANT:'));
    if (tenantId) list.push(`VSCODE_TENANT:${tenantId}`);
    const session = await this.getSession(list, interactive);
    if (!session) throw new NotSignedInError('Not signed in to a Microsoft account in VS Code.');
    this.accountLabel = session.account.label;
    const exp = decodeJwt(session.accessToken)?.exp;
    // Without an exp claim, ask again in five minutes rather than cache forever.
    const expiresOnTimestamp = exp ? exp * 1000 : Date.now() + 5 * 60_000;
    return { token: session.accessToken, expiresOnTimestamp, tokenType: 'Bearer' };
  }
}

/** A credential that always asks for one tenant's token (ARM clients pass no tenant of their own). */
export function forTenant(credential: TokenCredential, tenantId: string | undefined): TokenCredential {
  if (!tenantId) return credential;
  return { getToken: (scopes, options) => credential.getToken(scopes, { ...options, tenantId }) };
}

export interface CredentialChoice {
  credential: TokenCredential;
  /** Shown next to the account. */
  methodLabel: string;
  /** Interactive sign-in for methods that have one. */
  signIn?: (scopes: string[], tenantId?: string) => Promise<void>;
}

export interface CredentialOptions {
  /** A sign-in method of the settings, or `default` (`DefaultAzureCredential`: the CLI in CI). */
  method: SignInMethod | 'default';
  cloud: CloudEndpoints;
  getVscodeSession?: GetVscodeSession;
  /** Shows a device code to the user. */
  onDeviceCode?: (info: DeviceCodeInfo) => void;
  env?: NodeJS.ProcessEnv;
}

/** The credential for a sign-in method, configured for the cloud (authority host, private CA). */
export function createCredential(options: CredentialOptions): CredentialChoice {
  const { cloud } = options;
  const env = options.env ?? process.env;
  const custom = cloud.id === 'custom';
  const common = {
    authorityHost: cloud.authorityHost,
    additionallyAllowedTenants: ['*'],
    // A private cloud's login host is not in Entra's public instance list.
    ...(custom ? { disableInstanceDiscovery: true } : {}),
    ...(cloud.caPem ? { tlsOptions: { ca: cloud.caPem } } : {}),
  };
  switch (options.method) {
    // CI: a service principal in environment variables, workload identity, a managed identity, the Azure CLI (where
    // GitHub Actions' azure/login with OIDC signs in), ... in @azure/identity's order.
    case 'default':
      return { credential: new DefaultAzureCredential(common), methodLabel: 'DefaultAzureCredential' };
    case 'azureCli':
      return { credential: new AzureCliCredential({ additionallyAllowedTenants: ['*'] }), methodLabel: 'Azure CLI' };
    case 'environment': {
      if (env.AZURE_CLIENT_ID && env.AZURE_TENANT_ID && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH))
        return { credential: new EnvironmentCredential(common), methodLabel: 'Environment (service principal)' };
      if (env.AZURE_FEDERATED_TOKEN_FILE)
        return { credential: new WorkloadIdentityCredential(common), methodLabel: 'Workload identity' };
      return {
        credential: new ManagedIdentityCredential({
          ...(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {}),
        }),
        methodLabel: 'Managed identity',
      };
    }
    case 'deviceCode': {
      const credential = new DeviceCodeCredential({
        ...common,
        tenantId: 'organizations',
        disableAutomaticAuthentication: true,
        userPromptCallback: (info) => options.onDeviceCode?.(info),
      });
      return {
        credential,
        methodLabel: 'Device code',
        signIn: async (scopes, tenantId) => {
          if (tenantId) await credential.getToken(scopes, { tenantId });
          else await credential.authenticate(scopes);
        },
      };
    }
    case 'vscode':
    default: {
      if (!options.getVscodeSession) throw new Error('VS Code sign-in is only available inside VS Code.');
      const credential = new VscodeSessionCredential(options.getVscodeSession);
      return {
        credential,
        methodLabel: 'VS Code account',
        signIn: async (scopes, tenantId) => {
          await credential.signIn(scopes, tenantId);
        },
      };
    }
  }
}
