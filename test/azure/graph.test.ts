// App registrations through Microsoft Graph, with the real SDK pipeline and credential against the stand-in's
// Graph: a client id that is no user-assigned identity is looked up as a service principal (its object id then
// decides the role and access-policy rows), an app registration used as a workload identity has its federated
// credentials read from the application object; Graph tokens are asked for `<graph endpoint>/.default` (the
// stand-in refuses any other audience); where Graph refuses, the row is ? and says what could not be read.
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createSession } from '../../azure/src/session';
import type { ReadinessModel } from '../../azure/src/model';
import type { AzureIntegration, IntegrationsResult } from '../../shared/src/protocol';
import { createFluxService } from '../../server/src/service';
import { cloudOf, cloudWithServicesOf, knownRoles, readinessOnce, useStandInWithExamples } from './cloud';
import { APP_REGISTRATIONS, T1, applicationObjectOf, principalOf } from './world';

const BOUND = { timeout: 30_000 };
const GRAPH = /^\/v1\.0\//;
const SOPS_APP = APP_REGISTRATIONS.find((a) => a.displayName === 'app-flux-staging-sops')!;
const CI_APP = APP_REGISTRATIONS.find((a) => a.displayName === 'app-flux-ci-runner')!;

const world = useStandInWithExamples();

const readiness = readinessOnce;

function result(model: ReadinessModel, answer: IntegrationsResult, pick: (i: AzureIntegration) => boolean) {
  const i = answer.integrations.find(pick);
  assert.ok(i, 'the integration');
  return model.results.find((r) => r.key === i.key)!;
}

const stagingSops = (i: AzureIntegration) =>
  i.object.kind === 'Secret' && i.object.name === 'receiver-token' && i.clusters.includes('clusters/staging');

describe('App registrations through Microsoft Graph', () => {
  test('a certificate identity: its service principal decides the access-policy vault row', BOUND, async () => {
    const started = world.standIn.requests.length;
    const model = await readiness(world.catalog, cloudWithServicesOf(world.standIn));
    const graph = world.standIn.requests.slice(started).filter((r) => GRAPH.test(r.path));
    const sops = result(model, world.catalog, stagingSops);
    assert.equal(sops.state, 'missing', sops.summary);
    assert.equal(sops.principalId, principalOf(SOPS_APP.appId));
    assert.equal(sops.principalFrom, 'service principal of app registration app-flux-staging-sops');
    assert.equal(
      sops.summary,
      'Vault kv-fleet-staging uses access policies, not Azure RBAC: no access policy grants the identity key decrypt',
    );
    assert.match(
      sops.fixCommand ?? '',
      new RegExp(`^az keyvault set-policy --name kv-fleet-staging --object-id ${principalOf(SOPS_APP.appId)} `),
    );
    // One read per app registration (the two certificate identities of examples/), Graph tokens of the right
    // tenant and audience (the stand-in answers 401 to any other), nothing else asked of Graph.
    assert.deepEqual(
      graph.map((r) => `${r.status} ${r.path}`).sort(),
      APP_REGISTRATIONS.filter((a) => a !== CI_APP)
        .map((a) => `200 /v1.0/servicePrincipals(appId='${a.appId}')`)
        .sort(),
    );
    assert.ok(graph.every((r) => r.tenant === T1));
    console.log(`Microsoft Graph on examples/: ${graph.length} requests`);

    // Without a Graph endpoint nothing is asked of it, and the row says how to find the principal by hand.
    const before = world.standIn.requests.length;
    const without = result(await readiness(world.catalog, cloudOf(world.standIn)), world.catalog, stagingSops);
    assert.equal(world.standIn.requests.slice(before).filter((r) => GRAPH.test(r.path)).length, 0);
    assert.equal(without.state, 'unknown');
    assert.match(without.summary, /az ad sp show --id ac14fb1b-eb86-41b8-8cae-a9878f5149b3/);
  });

  test("signed in with the VS Code account: the Graph scope is asked of VS Code like ARM's", BOUND, async () => {
    const asked: string[][] = [];
    const session = createSession({
      cloud: cloudWithServicesOf(world.standIn),
      method: 'vscode',
      knownRoles,
      // VS Code's Microsoft provider: a token for the scope's resource, of the tenant asked for.
      getVscodeSession: async (scopes) => {
        asked.push(scopes);
        const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length) ?? T1;
        const resource = scopes.find((s) => s.endsWith('/.default'))!.slice(0, -'.default'.length);
        return {
          accessToken: world.standIn.issue(tenant, 3599, resource === `${world.standIn.url}/` ? resource : undefined),
          account: { label: 'operator@contoso.test' },
        };
      },
    });
    try {
      const model = await session.checkReadiness(world.catalog.integrations, [], world.catalog.tokenExchangeAudience);
      assert.equal(result(model, world.catalog, stagingSops).state, 'missing');
    } finally {
      session.dispose();
    }
    assert.ok(
      asked.some((s) => s.length === 2 && s[0] === `${world.standIn.url}/.default` && s[1] === `VSCODE_TENANT:${T1}`),
      JSON.stringify(asked),
    );

    // VS Code has no session for Graph's scope (never consented): ?, saying so, not "not signed in".
    const armOnly = createSession({
      cloud: cloudWithServicesOf(world.standIn),
      method: 'vscode',
      knownRoles,
      getVscodeSession: async (scopes) => {
        if (scopes[0] === `${world.standIn.url}/.default`) return undefined;
        const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length) ?? T1;
        return { accessToken: world.standIn.issue(tenant), account: { label: 'operator@contoso.test' } };
      },
    });
    try {
      const model = await armOnly.checkReadiness(world.catalog.integrations, [], world.catalog.tokenExchangeAudience);
      const sops = result(model, world.catalog, stagingSops);
      assert.equal(sops.state, 'unknown');
      assert.match(
        sops.summary,
        /Microsoft Graph could not read the service principal .*: the sign-in gave no Microsoft Graph token/,
      );
    } finally {
      armOnly.dispose();
    }
  });

  test('403 and 404 from Graph: ? saying what could not be read, or where it was looked for', BOUND, async () => {
    world.standIn.fault(/^\/v1\.0\/servicePrincipals/, {
      kind: 'status',
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    const sops = result(await readiness(world.catalog, cloudWithServicesOf(world.standIn)), world.catalog, stagingSops);
    assert.equal(sops.state, 'unknown');
    assert.match(
      sops.summary,
      /^Cannot resolve client id ac14fb1b-eb86-41b8-8cae-a9878f5149b3: it is not a user-assigned managed identity in the subscriptions you can read .*, and Microsoft Graph could not read the service principal of client id ac14fb1b-eb86-41b8-8cae-a9878f5149b3: No permission \(Authorization_RequestDenied\): Insufficient privileges to complete the operation\.$/,
    );

    // Not in the directory either (404): ? saying where it was looked for, without the az ad sp show advice.
    world.standIn.clearFaults();
    world.standIn.fault(/^\/v1\.0\/servicePrincipals/, {
      kind: 'status',
      status: 404,
      code: 'Request_ResourceNotFound',
      message: "Resource 'ac14fb1b-eb86-41b8-8cae-a9878f5149b3' does not exist.",
    });
    const unknown = result(
      await readiness(world.catalog, cloudWithServicesOf(world.standIn)),
      world.catalog,
      stagingSops,
    );
    assert.equal(unknown.state, 'unknown');
    assert.match(
      unknown.summary,
      /^Client id ac14fb1b-eb86-41b8-8cae-a9878f5149b3 is neither a user-assigned managed identity in the subscriptions you can read \(.*\) nor an app registration's service principal in the tenant's directory \(Microsoft Graph\)\.$/,
    );
  });

  test('an app registration as workload identity: its federated credentials (paged), ✓ and ✗', BOUND, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-azure-app-wi-'));
    try {
      mkdirSync(join(dir, 'ci'));
      const sa = (name: string) =>
        [
          'apiVersion: v1',
          'kind: ServiceAccount',
          `metadata:`,
          `  name: ${name}`,
          '  namespace: ci',
          '  annotations:',
          `    azure.workload.identity/client-id: ${CI_APP.appId}`,
          `    azure.workload.identity/tenant-id: ${T1}`,
        ].join('\n');
      const oci = (name: string) =>
        [
          'apiVersion: source.toolkit.fluxcd.io/v1',
          'kind: OCIRepository',
          `metadata: { name: ${name}, namespace: ci }`,
          'spec:',
          '  interval: 10m',
          `  url: oci://contosofleet.azurecr.io/ci/${name}`,
          '  provider: azure',
          `  serviceAccountName: ${name}`,
        ].join('\n');
      writeFileSync(
        join(dir, 'ci', 'ci.yaml'),
        [sa('ci-runner'), oci('ci-runner'), sa('ci-deployer'), oci('ci-deployer')].join('\n---\n') + '\n',
      );
      const answer = await createFluxService({ roots: [dir] }).integrations();
      const started = world.standIn.requests.length;
      const model = await readiness(answer, cloudWithServicesOf(world.standIn));
      const graph = world.standIn.requests.slice(started).filter((r) => GRAPH.test(r.path));
      const fed = (name: string) => {
        const f = model.federation.find((x) => x.subject === `system:serviceaccount:ci:${name}`);
        assert.ok(f, `${name} in ${JSON.stringify(model.federation.map((x) => x.subject))}`);
        return f;
      };
      const runner = fed('ci-runner');
      assert.equal(runner.state, 'ok', runner.summary);
      assert.equal(
        runner.summary,
        "Federated credential 'ci-runner-prod' matches (issuer of AKS cluster aks-fleet-prod, found automatically; subject; audience)",
      );
      assert.equal(runner.identityName, 'app-flux-ci-runner');
      const deployer = fed('ci-deployer');
      assert.equal(deployer.state, 'missing', deployer.summary);
      assert.equal(
        deployer.summary,
        "subject differs: credential 'ci-runner-prod' has 'system:serviceaccount:ci:ci-runner', the token carries 'system:serviceaccount:ci:ci-deployer'",
      );
      // ASO has no resource for an application's credential: the az command for app registrations.
      assert.equal(deployer.fix, undefined);
      assert.match(
        deployer.fixCommand ?? '',
        /^az ad app federated-credential create --id 5f0c9d1e-3a2b-4c5d-8e7f-90a1b2c3d4e5 --parameters '\{"name":"ci-deployer-no-cluster","issuer":"https:\/\/oidc\.contoso-private\.test\/[^"]+-prod\/","subject":"system:serviceaccount:ci:ci-deployer","audiences":\["api:\/\/AzureADTokenExchange"\]\}'$/,
      );
      // The ACR rows: the service principal's object id, no AcrPull for it.
      const acr = model.results.filter((r) => r.principalId === principalOf(CI_APP.appId));
      assert.equal(acr.length, 2);
      assert.ok(acr.every((r) => r.state === 'missing' && /^Missing AcrPull/.test(r.summary)));
      // Application and service principal read once each, the credentials' two pages once.
      const fics = `/v1.0/applications/${applicationObjectOf(CI_APP.appId)}/federatedIdentityCredentials`;
      assert.deepEqual(
        graph.map((r) => r.path).sort(),
        [
          `/v1.0/applications(appId='${CI_APP.appId}')`,
          fics,
          fics,
          `/v1.0/servicePrincipals(appId='${CI_APP.appId}')`,
        ].sort(),
      );

      // The credentials not readable: ? saying so.
      world.standIn.fault(/\/federatedIdentityCredentials$/, {
        kind: 'status',
        status: 403,
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
      const refused = (await readiness(answer, cloudWithServicesOf(world.standIn))).federation;
      assert.ok(refused.length === 2 && refused.every((f) => f.state === 'unknown'));
      assert.match(
        refused[0]!.summary,
        /^Cannot read the federated credentials of app-flux-ci-runner: Microsoft Graph: No permission \(Authorization_RequestDenied\): Insufficient privileges/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
