// The cost of readiness on a fleet: 100 user-assigned identities and 300 registries (three per identity, each
// identity's in one subscription) resolve with one Resource Graph query per tenant (its pages), one credential list
// per identity and one assignment read per (subscription, principal) — nothing per resource, nothing per
// subscription and type — and the answers are still each resource's own. The real SDK clients against the stand-in,
// whose world gets the fleet added (this file runs in a process of its own).
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { createSession } from '../../azure/src/session';
import type { AzureIntegration } from '../../shared/src/protocol';
import { cloudOf, cloudWithServicesOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { startStandIn, type RequestRecord, type StandIn } from './standIn';
import {
  APP_REGISTRATIONS,
  ASSIGNMENTS,
  CREDENTIALS,
  IDENTITIES,
  ISSUER_PROD,
  RESOURCES,
  SUB_PROD,
  SUB_STAGING,
  TOKEN_EXCHANGE,
  principalOf,
  roleGuid,
} from './world';

const IDENTITY_COUNT = 100;
const RESOURCE_COUNT = 300;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

let standIn: StandIn;
const integrations: AzureIntegration[] = [];

before(async () => {
  standIn = await startStandIn();
  signInAsOperator();
  // An ACR integration of examples/ as the pattern of the fleet's.
  const template = (await examplesCatalog()).integrations.find(
    (i) => i.object.kind === 'OCIRepository' && i.object.name === 'podinfo',
  )!;
  for (let k = 0; k < IDENTITY_COUNT; k++) {
    const subscription = k % 2 === 0 ? SUB_PROD : SUB_STAGING;
    const clientId = `${hex(k, 8)}-f1ee-4000-8000-${hex(k, 12)}`;
    IDENTITIES.push({ name: `id-fleet-app-${k}`, clientId, subscription });
    CREDENTIALS.push({
      identity: `id-fleet-app-${k}`,
      name: `app-${k}-prod`,
      issuer: ISSUER_PROD,
      subject: `system:serviceaccount:apps:app-${k}`,
      audiences: [TOKEN_EXCHANGE],
    });
  }
  for (let n = 0; n < RESOURCE_COUNT; n++) {
    const k = n % IDENTITY_COUNT;
    const identity = IDENTITIES.find((i) => i.name === `id-fleet-app-${k}`)!;
    const id = `/subscriptions/${identity.subscription}/resourceGroups/rg-fleet-apps/providers/Microsoft.ContainerRegistry/registries/acrfleet${n}`;
    RESOURCES.push(id);
    // Two of every three registries grant AcrPull to their identity.
    if (n % 3 !== 0)
      ASSIGNMENTS.push({
        name: `f1ee0000-0000-4000-8000-${hex(n, 12)}`,
        scope: id,
        role: roleGuid('AcrPull'),
        principalId: principalOf(identity.clientId),
        principalType: 'ServicePrincipal',
      });
    integrations.push({
      ...template,
      key: `fleet-app-${n}`,
      clusters: ['clusters/production'],
      object: { ...template.object, namespace: 'apps', name: `app-${n}` },
      resource: { ...template.resource!, display: `acrfleet${n}.azurecr.io`, name: `acrfleet${n}` },
      identity: {
        ...template.identity!,
        label: `ServiceAccount apps/app-${k}`,
        clientId: identity.clientId,
        serviceAccount: { namespace: 'apps', name: `app-${k}`, subject: `system:serviceaccount:apps:app-${k}` },
      },
    });
  }
});

after(async () => {
  await standIn?.stop();
});

const count = (made: readonly RequestRecord[], pattern: RegExp) => made.filter((r) => pattern.test(r.path)).length;

test(
  '100 identities and 300 resources: ARM calls bounded by identities and tenants, not resources',
  { timeout: 120_000 },
  async () => {
    const session = createSession({
      cloud: cloudOf(standIn),
      method: 'environment',
      knownRoles,
      tuning: { retryDelayMs: 10 },
    });
    const started = standIn.armRequests().length;
    const readiness = await session.checkReadiness(integrations);
    const made = standIn.armRequests().slice(started);
    session.dispose();

    // Each resource's own answer.
    const state = new Map(readiness.results.map((r) => [r.key, r.state]));
    for (let n = 0; n < RESOURCE_COUNT; n++)
      assert.equal(state.get(`fleet-app-${n}`), n % 3 === 0 ? 'missing' : 'ok', `registry ${n}`);
    assert.equal(readiness.federation.length, IDENTITY_COUNT);
    assert.ok(
      readiness.federation.every((f) => f.state === 'ok'),
      readiness.federation.find((f) => f.state !== 'ok')?.summary,
    );

    const graph = count(made, /^\/providers\/Microsoft\.ResourceGraph\/resources$/);
    const credentials = count(made, /\/federatedIdentityCredentials$/);
    const assignments = count(made, /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleAssignments$/);
    const directory = count(made, /^\/(tenants|subscriptions)$/);
    assert.equal(credentials, IDENTITY_COUNT, 'one credential list per identity');
    assert.equal(assignments, IDENTITY_COUNT, 'one assignment read per (subscription, principal)');
    // Resource Graph: one query per tenant; the stand-in answers 7 rows a page, so the fleet's rows page.
    const rows = IDENTITIES.length + RESOURCES.length + 10;
    assert.ok(graph <= Math.ceil(rows / 7) + 2, `${graph} Resource Graph pages`);
    assert.equal(
      made.length,
      directory + graph + credentials + assignments,
      'nothing per subscription or per resource',
    );
    console.log(
      `fleet of ${IDENTITY_COUNT} identities and ${RESOURCE_COUNT} resources: ${made.length} ARM requests (${directory} directory, ${graph} Resource Graph pages of 7 rows, ${credentials} credential lists, ${assignments} assignment reads)`,
    );
  },
);

test(
  'app registrations: one Microsoft Graph read per client id, however many resources it reaches',
  { timeout: 120_000 },
  async () => {
    const APPS = 20;
    const template = integrations[0]!;
    const apps: AzureIntegration[] = [];
    for (let k = 0; k < APPS; k++) {
      const appId = `${hex(k, 8)}-a990-4000-8000-${hex(k, 12)}`;
      APP_REGISTRATIONS.push({ displayName: `app-fleet-cert-${k}`, appId, credentials: [] });
      // Three registries each (those of the fleet above), AcrPull on the first of them only.
      for (let r = 0; r < 3; r++) {
        const n = k * 3 + r;
        if (r === 0)
          ASSIGNMENTS.push({
            name: `a9900000-0000-4000-8000-${hex(n, 12)}`,
            scope: RESOURCES.find((id) => id.endsWith(`/registries/acrfleet${n}`))!,
            role: roleGuid('AcrPull'),
            principalId: principalOf(appId),
            principalType: 'ServicePrincipal',
          });
        apps.push({
          ...template,
          key: `fleet-cert-${n}`,
          object: { ...template.object, name: `cert-${n}` },
          resource: { ...template.resource!, display: `acrfleet${n}.azurecr.io`, name: `acrfleet${n}` },
          identity: { source: 'secret', label: `Secret apps/cert-${k}`, clientId: appId },
        });
      }
    }
    const session = createSession({
      cloud: cloudWithServicesOf(standIn),
      method: 'environment',
      knownRoles,
      tuning: { retryDelayMs: 10 },
    });
    const started = standIn.requests.length;
    const readiness = await session.checkReadiness(apps);
    const made = standIn.requests.slice(started);
    session.dispose();
    const state = new Map(readiness.results.map((r) => [r.key, r.state]));
    for (let n = 0; n < APPS * 3; n++)
      assert.equal(state.get(`fleet-cert-${n}`), n % 3 === 0 ? 'ok' : 'missing', `registry ${n}`);
    const graph = made.filter((r) => r.path.startsWith('/v1.0/'));
    assert.equal(graph.length, APPS, 'one service principal read per app registration');
    assert.ok(
      graph.every((r) => r.status === 200 && /^\/v1\.0\/servicePrincipals\(appId='[0-9a-f-]+'\)$/.test(r.path)),
    );
    console.log(`${APPS} app registrations on ${APPS * 3} registries: ${graph.length} Microsoft Graph requests`);
  },
);
