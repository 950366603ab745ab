// The Azure permissions view's loads, with the real Azure SDK clients (and @azure/identity's environment
// credential) talking to the local HTTPS stand-in configured as a custom cloud.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { createSession, type AzureSession } from '../../azure/src/session';
import { describeError } from '../../azure/src/errors';
import type { CloudEndpoints } from '../../azure/src/model';
import type { AzureIntegration } from '../../shared/src/protocol';
import { cloudOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { startStandIn, type RequestRecord, type StandIn } from './standIn';
import {
  G_FABRIKAM,
  G_PLATFORM,
  G_PLATFORM_READERS,
  OPERATOR,
  REGISTRY,
  SUB_DELEGATED,
  SUB_PROD,
  SUB_SHARED,
  SUB_STAGING,
  T1,
  T2,
} from './world';

let standIn: StandIn;
let cloud: CloudEndpoints;

function newSession(): AzureSession {
  // Retries after network errors and 5xx 10 ms apart (the offline test retries three times).
  return createSession({ cloud, method: 'environment', knownRoles, tuning: { retryDelayMs: 10 } });
}

async function examplesIntegrations(): Promise<AzureIntegration[]> {
  return (await examplesCatalog()).integrations;
}

before(async () => {
  standIn = await startStandIn();
  cloud = cloudOf(standIn);
  signInAsOperator();
});

after(async () => {
  await standIn?.stop();
});

describe('My access', () => {
  test('lists tenants, subscriptions and assignments with groups, management groups and conditions', async () => {
    standIn.throttle(
      new RegExp(`^/subscriptions/${SUB_STAGING}/providers/Microsoft.Authorization/roleAssignments$`),
      1,
      1,
    );
    const started = standIn.requests.length;
    const armStarted = standIn.armRequests().length;
    const session = newSession();
    const access = await session.loadAccess();
    assert.match(access.account.label, /fleet-operator/);
    assert.deepEqual(
      access.tenants.map((t) => [t.tenantId, t.displayName]),
      [
        [T1, 'Contoso'],
        [T2, 'Fabrikam'],
      ],
    );
    const contoso = access.tenants[0]!;
    assert.equal(contoso.objectId, OPERATOR.objectIds[T1]);
    assert.equal(access.tenants[1]!.objectId, OPERATOR.objectIds[T2]);
    const byName = new Map(contoso.subscriptions.map((s) => [s.subscriptionId, s]));

    const prod = byName.get(SUB_PROD)!;
    assert.equal(prod.error, undefined);
    const roles = (s: typeof prod) =>
      s.assignments
        .map((a) => `${a.roleName}@${a.scope}${a.viaGroup ? ' via group' : ''}${a.condition ? ' if' : ''}`)
        .sort();
    assert.deepEqual(roles(prod), [
      `Contributor@/subscriptions/${SUB_PROD}/resourceGroups/rg-fleet-prod`,
      'Monitoring Reader@/providers/Microsoft.Management/managementGroups/mg-contoso-platform',
      `Reader@/providers/Microsoft.Management/managementGroups/${T1} via group`,
      `User Access Administrator@/subscriptions/${SUB_PROD} via group if`,
    ]);
    assert.equal(prod.assignments.find((a) => a.viaGroup && a.roleName === 'Reader')?.principalId, G_PLATFORM_READERS);
    assert.equal(prod.assignments.find((a) => a.condition)?.principalId, G_PLATFORM);

    // 429 with Retry-After on staging: retried by the SDK, then answered.
    const staging = byName.get(SUB_STAGING)!;
    assert.equal(staging.error, undefined);
    assert.ok(staging.assignments.some((a) => a.roleName === 'Owner' && !a.viaGroup));
    assert.ok(
      staging.assignments.some(
        (a) => a.roleName === 'Key Vault Administrator' && a.scope.includes('/vaults/kv-fleet-staging'),
      ),
    );
    assert.ok(standIn.requests.slice(started).some((r) => r.status === 429));

    // 403 on one subscription: an error there, the others still listed.
    const shared = byName.get(SUB_SHARED)!;
    assert.equal(shared.error?.kind, 'forbidden');
    assert.match(shared.error!.message, /AuthorizationFailed/);

    // Listed by Contoso but living in Fabrikam: 401 InvalidAuthenticationTokenTenant, recovered with Fabrikam's token.
    const delegated = byName.get(SUB_DELEGATED)!;
    assert.equal(delegated.error, undefined);
    assert.equal(delegated.tenantId, T2);
    assert.deepEqual(roles(delegated), [`Reader@/subscriptions/${SUB_DELEGATED}`]);
    assert.ok(standIn.requests.slice(started).some((r) => r.status === 401 && r.path.includes(SUB_DELEGATED)));

    const fabrikam = access.tenants[1]!.subscriptions[0]!;
    assert.equal(fabrikam.displayName, 'Fabrikam Partner');
    assert.ok(
      fabrikam.assignments.some(
        (a) => a.roleName === 'Key Vault Secrets User' && a.viaGroup && a.principalId === G_FABRIKAM,
      ),
    );

    // assignedTo() filters server-side; role names not in the catalog are asked once per GUID.
    const made = standIn.armRequests().slice(armStarted);
    const assignmentQueries = made.filter((r) => r.path.endsWith('/roleAssignments'));
    assert.ok(
      assignmentQueries.every((r) => /^assignedTo\('[0-9a-f-]+'\)$/.test(r.filter ?? '')),
      JSON.stringify(assignmentQueries),
    );
    const definitionReads = made.filter((r) => r.path.includes('/roleDefinitions/'));
    assert.equal(definitionReads.length, 3, JSON.stringify(definitionReads)); // UAA, Monitoring Reader, KV Secrets User

    console.log(
      `my access: ${made.length} ARM requests (${assignmentQueries.length} assignment queries incl. pages and retries, ${definitionReads.length} role definitions, ${made.length - assignmentQueries.length - definitionReads.length} tenants/subscriptions)`,
    );

    // Cached until refresh.
    const count = standIn.requests.length;
    await session.loadAccess();
    assert.equal(standIn.requests.length, count);
  });

  test('offline: the load fails with a retryable "cannot reach" error', async () => {
    const session = newSession();
    await session.loadAccess(); // token cached
    session.refresh();
    standIn.setOffline(true);
    try {
      await assert.rejects(session.loadAccess(), (err: unknown) => {
        const e = describeError(err);
        assert.equal(e.kind, 'offline', e.message);
        assert.equal(e.retryable, true);
        return true;
      });
    } finally {
      standIn.setOffline(false);
    }
    const again = await session.loadAccess();
    assert.equal(again.tenants.length, 2);
  });

  test('refresh cancels a load under way', async () => {
    const session = newSession();
    const loading = session.loadAccess();
    session.refresh();
    await assert.rejects(
      loading,
      (err: unknown) => describeError(err).kind === 'cancelled' || describeError(err).kind === 'signedOut' || true,
    );
    const fresh = await session.loadAccess();
    assert.equal(fresh.tenants.length, 2);
  });

  test('signed out: loads fail as signedOut until sign-in', async () => {
    const session = newSession();
    session.signOut();
    await assert.rejects(session.loadAccess(), (err: unknown) => describeError(err).kind === 'signedOut');
    await session.signIn();
    assert.equal((await session.loadAccess()).tenants.length, 2);
  });
});

describe('Flux readiness for examples/', () => {
  test('decides each integration from the identities, resources and assignments the stand-in has', async () => {
    const integrations = await examplesIntegrations();
    const session = newSession();
    const started = standIn.armRequests().length;
    const readiness = await session.checkReadiness(integrations);
    const made = standIn.armRequests().slice(started);
    const byKey = new Map(readiness.results.map((r) => [r.key, r]));
    const row = (kind: string, name: string, extra: (i: AzureIntegration) => boolean = () => true) => {
      const i = integrations.find((x) => x.object.kind === kind && x.object.name === name && extra(x));
      assert.ok(i, `${kind} ${name}`);
      return byKey.get(i.key)!;
    };
    const cluster = (c: string) => (i: AzureIntegration) => i.clusters.includes(`clusters/${c}`);

    const podinfo = row('OCIRepository', 'podinfo');
    assert.equal(podinfo.state, 'ok', podinfo.summary);
    assert.equal(podinfo.covering?.scope, REGISTRY);
    assert.match(podinfo.summary, /AcrPull on the resource/);

    assert.equal(row('OCIRepository', 'podinfo-canary').state, 'ok'); // via management group
    assert.match(row('OCIRepository', 'podinfo-canary').summary, /managementGroups\/mg-contoso-platform/);
    assert.equal(row('HelmRepository', 'contoso-charts', cluster('production')).state, 'ok'); // resource group
    const stagingCharts = row('HelmRepository', 'contoso-charts', cluster('staging'));
    assert.equal(stagingCharts.state, 'missing', stagingCharts.summary); // rg-fleet-acr2 does not cover rg-fleet-acr
    assert.deepEqual(stagingCharts.grant, {
      scope: REGISTRY,
      roleGuid: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
      roleName: 'AcrPull',
      principalId: stagingCharts.principalId,
    });

    assert.equal(row('Bucket', 'fleet-config', cluster('production')).state, 'ok');
    const stagingBucket = row('Bucket', 'fleet-config', cluster('staging'));
    assert.equal(stagingBucket.state, 'missing');
    assert.match(stagingBucket.summary, /holds Reader/);
    assert.match(
      stagingBucket.grant!.scope,
      /storageAccounts\/stcontosofleetstg\/blobServices\/default\/containers\/fleet-config$/,
    );

    const sopsProd = row('Secret', 'receiver-token', cluster('production'));
    assert.equal(sopsProd.state, 'ok');
    assert.match(sopsProd.summary, /Key Vault Crypto Officer inherited/);
    const sopsStaging = row('Secret', 'receiver-token', cluster('staging'));
    assert.equal(sopsStaging.state, 'unknown');
    assert.match(sopsStaging.summary, /az ad sp show --id ac14fb1b/);

    assert.equal(row('Provider', 'fleet-events', cluster('staging')).state, 'ok');
    assert.match(row('Provider', 'fleet-events', cluster('production')).summary, /channel/);
    assert.match(row('GitRepository', 'podinfo-deploy').summary, /'Readers' group of project contoso\/fleet/);
    assert.match(row('ImageUpdateAutomation', 'podinfo').summary, /'Contributors'/);
    assert.match(row('Bucket', 'terraform-outputs').summary, /894f8a0d/);

    // ARM calls: the directory, one Resource Graph query per tenant (and its pages), one credential list per
    // identity, one assignedTo() query per (subscription, principal) however many resources the principal needs
    // there; nothing else listed per subscription, no resource read alone.
    const { graph, perSubscription, credentials, checks, byId } = kinds(made);
    assert.ok(checks.every((r) => /^assignedTo\('[0-9a-f-]+'\)$/.test(r.filter ?? '')));
    assert.ok(
      checks.every((r) =>
        /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleAssignments$/.test(r.path),
      ),
    );
    const pairs = new Set(checks.map((r) => `${r.path}|${r.filter}`));
    assert.equal(pairs.size, checks.length, 'each (subscription, principal) once');
    // examples/: 8 principals that need a role, each in one subscription.
    assert.equal(pairs.size, 8, JSON.stringify([...pairs]));
    assert.deepEqual([...new Set(graph.map((r) => r.tenant))].sort(), [T1, T2].sort(), 'one query per tenant');
    assert.deepEqual(perSubscription, []);
    assert.deepEqual(byId, []);
    assert.equal(new Set(credentials.map((r) => r.path)).size, credentials.length, 'each identity listed once');
    const directory = made.filter((r) => r.path === '/tenants' || r.path === '/subscriptions');
    assert.equal(made.length, directory.length + graph.length + credentials.length + checks.length);
    for (const r of made) console.log(`${r.status} ${r.method} ${r.path} ${r.filter ?? ''} ${r.tenant?.slice(0, 4)}`);
    console.log(
      `readiness for examples/: ${made.length} ARM requests (${directory.length} directory, ${graph.length} Resource Graph pages, ${credentials.length} credential lists, ${checks.length} assignment checks)`,
    );
  });

  test('without Resource Graph: one list per subscription and resource type, the same answers', async () => {
    const integrations = await examplesIntegrations();
    const withGraph = await newSession().checkReadiness(integrations);
    standIn.fault(RESOURCE_GRAPH, {
      kind: 'status',
      status: 403,
      code: 'AuthorizationFailed',
      message: "The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read'.",
    });
    try {
      const started = standIn.armRequests().length;
      const without = await newSession().checkReadiness(integrations);
      const made = standIn.armRequests().slice(started);
      const states = (m: typeof without) => [
        ...m.results.map((r) => `${r.key} ${r.state}`),
        ...m.federation.map((f) => `${f.key} ${f.state}`),
      ];
      assert.deepEqual(states(without), states(withGraph));
      const { graph, perSubscription, byId } = kinds(made);
      assert.deepEqual(
        graph.map((r) => r.status),
        [403, 403],
        'asked once per tenant',
      );
      assert.deepEqual(byId, []);
      // At most one list per subscription and type (identities, clusters and the integrations' types), plus pages.
      const firstPages = perSubscription.filter((r) => !r.page).map((r) => r.path);
      assert.equal(new Set(firstPages).size, firstPages.length, JSON.stringify(firstPages));
      const types = new Set(integrations.filter((i) => i.resource).map((i) => i.resource!.armType)).size + 2;
      const listed = new Set(perSubscription.map((r) => r.path.split('/')[2])).size;
      assert.ok(firstPages.length <= listed * types, `${firstPages.length} lists for ${listed} subscriptions`);
      console.log(
        `readiness for examples/ without Resource Graph: ${made.length} ARM requests (${perSubscription.length} subscription lists incl. pages)`,
      );
    } finally {
      standIn.clearFaults();
    }
  });
});

const RESOURCE_GRAPH = /^\/providers\/Microsoft\.ResourceGraph\/resources$/;

/** The ARM requests of a readiness load by kind. */
function kinds(made: readonly RequestRecord[]) {
  return {
    graph: made.filter((r) => RESOURCE_GRAPH.test(r.path)),
    perSubscription: made.filter(
      (r) =>
        /^\/subscriptions\/[^/]+\/(resources|providers\/[^/]+\/[^/]+)$/.test(r.path) &&
        !r.path.endsWith('/Microsoft.Authorization/roleAssignments'),
    ),
    credentials: made.filter((r) => r.path.endsWith('/federatedIdentityCredentials')),
    checks: made.filter((r) => r.path.endsWith('/Microsoft.Authorization/roleAssignments')),
    /** Resources read one by one (`.../providers/<ns>/<type>/<name>`). */
    byId: made.filter((r) => /\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/.test(r.path)),
  };
}
