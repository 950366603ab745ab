// What every Azure test gives the client: the stand-in as a private cloud, the roles it knows, the server's catalog.
// Free of `vscode`, so that tests of the session alone need no stub.
import { resolve } from 'node:path';
import { after, afterEach, before } from 'node:test';
import type { CloudEndpoints, ReadinessModel } from '../../azure/src/model';
import { createSession } from '../../azure/src/session';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { ROLES } from '../../server/src/catalog';
import { createFluxService } from '../../server/src/service';
import { startStandIn, type StandIn } from './standIn';
import { OPERATOR, T1 } from './world';

export const knownRoles = ROLES.map((r) => ({ guid: r.guid, name: r.name }));

/** The stand-in as a private cloud (the way a user configures it in the settings). */
export function cloudOf(standIn: StandIn): CloudEndpoints {
  return {
    id: 'custom',
    name: 'Contoso private cloud',
    armEndpoint: standIn.url,
    armAudience: standIn.audience,
    authorityHost: standIn.url,
    portalUrl: 'https://portal.contoso-private.test',
    vscodeProvider: 'microsoft-sovereign-cloud',
    caPem: standIn.caPem,
  };
}

/**
 * The stand-in as a private cloud with every service readiness asks besides ARM configured too (Azure DevOps'
 * graph API, Microsoft Graph), the way `--cloud-config` names them for the CLI.
 */
export function cloudWithServicesOf(standIn: StandIn): CloudEndpoints {
  return { ...cloudOf(standIn), devOpsGraphEndpoint: standIn.url, graphEndpoint: standIn.url };
}

/** The server's answer to `fluxAzure/integrations` for examples/ (integrations and catalog data). */
export async function examplesCatalog(): Promise<IntegrationsResult> {
  return createFluxService({ roots: [resolve(__dirname, '..', '..', '..', 'examples')] }).integrations();
}

/** One readiness load of `answer` on `cloud` with a fresh session (the environment sign-in), disposed after. */
export async function readinessOnce(answer: IntegrationsResult, cloud: CloudEndpoints): Promise<ReadinessModel> {
  const session = createSession({ cloud, method: 'environment', knownRoles, tuning: { retryDelayMs: 10 } });
  try {
    return await session.checkReadiness(answer.integrations, [], answer.tokenExchangeAudience, answer.azureDevOpsScope);
  } finally {
    session.dispose();
  }
}

/** Signs the environment credential in as the operator (what a user of the "environment" method sets). */
export function signInAsOperator(): void {
  process.env.AZURE_TENANT_ID = T1;
  process.env.AZURE_CLIENT_ID = OPERATOR.clientId;
  process.env.AZURE_CLIENT_SECRET = OPERATOR.secret;
}

/** What a file's tests share: the running stand-in and the server's answer for examples/. */
export interface StandInWithExamples {
  standIn: StandIn;
  catalog: IntegrationsResult;
}

/**
 * The set-up of a file of readiness tests against the stand-in, as hooks of that file: before its tests the stand-in
 * starts, examples/ is read by the server and the operator is signed in (environment sign-in); after each test the
 * stand-in's faults are cleared; after all, it stops. The fields are set once `before` has run.
 */
export function useStandInWithExamples(): StandInWithExamples {
  const shared = {} as StandInWithExamples;
  before(async () => {
    shared.standIn = await startStandIn();
    shared.catalog = await examplesCatalog();
    signInAsOperator();
  });
  afterEach(() => shared.standIn.clearFaults());
  after(async () => {
    await shared.standIn?.stop();
  });
  return shared;
}
