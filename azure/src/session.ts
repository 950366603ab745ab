/**
 * One signed-in Azure session for the tree: owns the credential, caches loads until `refresh`, and cancels loads
 * that a refresh or a settings change made stale.
 */
import type { AccessToken, GetTokenOptions } from '@azure/core-auth';
import type { DeviceCodeInfo } from '@azure/identity';
import type { AzureIntegration, KnownRole } from '../../shared/src/protocol';
import { LoadContext, loadAccess, loadDirectory, type Directory } from './access';
import { REQUEST_TIMEOUT_MS, type ArmTuning } from './arm';
import { checkReadiness, type ClusterMapping } from './checks';
import {
  armScope,
  createCredential,
  NotSignedInError,
  type CredentialChoice,
  type GetVscodeSession,
} from './credentials';
import { TimeoutError } from './errors';
import type { AccessModel, AccountInfo, CloudEndpoints, ReadinessModel, SignInMethod } from './model';
import { redactError } from './redact';

export interface SessionOptions {
  cloud: CloudEndpoints;
  method: SignInMethod | 'default';
  knownRoles: readonly KnownRole[];
  getVscodeSession?: GetVscodeSession;
  onDeviceCode?: (info: DeviceCodeInfo) => void;
  /** Request log (method and URL only). */
  onRequest?: (method: string, url: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Time limits and retry delays (tests shrink them); the defaults are meant for people. */
  tuning?: ArmTuning;
}

export class AzureSession {
  private readonly choice: CredentialChoice;
  private readonly ctx: LoadContext;
  private controller = new AbortController();
  private directory: Promise<Directory> | undefined;
  private access: Promise<AccessModel> | undefined;
  private readiness: { signature: string; result: Promise<ReadinessModel> } | undefined;
  /** Signed out on purpose: no silent sign-in until `signIn`. Device code starts signed out. */
  private signedOut: boolean;

  constructor(readonly options: SessionOptions) {
    this.choice = createCredential({
      method: options.method,
      cloud: options.cloud,
      ...(options.getVscodeSession ? { getVscodeSession: options.getVscodeSession } : {}),
      ...(options.onDeviceCode ? { onDeviceCode: options.onDeviceCode } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    this.signedOut = options.method === 'deviceCode';
    const guarded = {
      getToken: (scopes: string | string[], opts?: GetTokenOptions): Promise<AccessToken | null> => {
        if (this.signedOut) return Promise.reject(new NotSignedInError('Signed out.'));
        return this.silentToken(scopes, opts);
      },
    };
    this.ctx = new LoadContext(
      { cloud: options.cloud, onRequest: options.onRequest, ...(options.tuning ? { tuning: options.tuning } : {}) },
      guarded,
      this.choice.methodLabel,
      options.knownRoles,
    );
  }

  /** A token without user interaction: bounded in time, failures without secrets in their message. */
  private silentToken(scopes: string | string[], opts?: GetTokenOptions): Promise<AccessToken | null> {
    const ms = this.options.tuning?.tokenTimeoutMs ?? REQUEST_TIMEOUT_MS;
    return bounded(
      this.choice.credential.getToken(scopes, opts),
      ms,
      () => `Getting an Azure token (${this.choice.methodLabel}) took longer than ${seconds(ms)}.`,
    ).catch((err: unknown) => {
      throw redactError(err);
    });
  }

  /** Requests made to Azure so far (ARM, Resource Graph, Microsoft Graph, Azure DevOps). */
  get requests(): number {
    return this.ctx.requests;
  }

  /** Interactive sign-in (VS Code account prompt, device code), to one tenant when given; else a token check. */
  async signIn(tenantId?: string): Promise<void> {
    const scopes = [armScope(this.options.cloud)];
    try {
      if (this.choice.signIn) await this.choice.signIn(scopes, tenantId);
      else await this.silentToken(scopes, tenantId ? { tenantId } : {});
    } catch (err) {
      throw redactError(err);
    }
    this.signedOut = false;
    this.refresh();
  }

  signOut(): void {
    this.signedOut = true;
    this.refresh();
  }

  /** Forgets every load (role names excepted) and cancels those under way. */
  refresh(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.directory = undefined;
    this.access = undefined;
    this.readiness = undefined;
  }

  dispose(): void {
    this.controller.abort();
  }

  private loadDirectory(): Promise<Directory> {
    const signal = this.controller.signal;
    this.directory ??= loadDirectory(this.ctx, signal).catch((err: unknown) => {
      this.directory = undefined; // a failure is not cached: the retry item tries again
      throw err;
    });
    return this.directory;
  }

  /** The signed-in account (loads the tenants and subscriptions; fails when signing in fails). */
  async account(): Promise<AccountInfo> {
    return (await this.loadDirectory()).account;
  }

  loadAccess(): Promise<AccessModel> {
    const signal = this.controller.signal;
    this.access ??= this.loadDirectory()
      .then((directory) => loadAccess(this.ctx, directory, signal))
      .catch((err: unknown) => {
        this.access = undefined;
        throw err;
      });
    return this.access;
  }

  /**
   * Readiness of the integrations; `clusters` maps cluster directories to AKS clusters (the federation check's
   * issuer), `audience` is the token-exchange audience and `devOpsScope` the Azure DevOps token scope, both from
   * the catalog (without a scope, or a cloud without Azure DevOps, those integrations are not checked).
   */
  checkReadiness(
    integrations: readonly AzureIntegration[],
    clusters: readonly ClusterMapping[] = [],
    audience?: string,
    devOpsScope?: string,
  ): Promise<ReadinessModel> {
    const signature = JSON.stringify([integrations, clusters, audience, devOpsScope]);
    if (this.readiness?.signature !== signature) {
      const signal = this.controller.signal;
      const result = this.loadDirectory()
        .then((directory) => checkReadiness(this.ctx, directory, integrations, signal, clusters, audience, devOpsScope))
        .catch((err: unknown) => {
          if (this.readiness?.result === result) this.readiness = undefined;
          throw err;
        });
      this.readiness = { signature, result };
    }
    return this.readiness.result;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** `promise`, or a `TimeoutError` after `ms` (the promise itself is left to settle on its own). */
function bounded<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createSession(options: SessionOptions): AzureSession {
  return new AzureSession(options);
}
