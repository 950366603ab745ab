// The Azure views when ARM or the token endpoint misbehave: the real tree providers, sessions and Azure SDK clients
// against the stand-in's fault modes. Whatever happens, `getChildren` answers (never throws, never hangs): an item
// saying why, with Retry (or Sign in), or the data once the SDK's own retries got it. Time limits are shrunk through
// the session's tuning options, so every wait here is short and bounded.
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SessionOptions } from '../../azure/src/session';
import type { ArmTuning } from '../../azure/src/arm';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { startStandIn, throttling, type StandIn } from './standIn';
import { cloudOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { render, TestController, walk, type Row } from './treeHarness';
import { OPERATOR, SUB_FABRIKAM, SUB_PROD, SUB_STAGING, T1 } from './world';

/** No test may hang: a regression fails here instead of stalling the run. */
const BOUND = { timeout: 20_000 };

let standIn: StandIn;
let catalog: IntegrationsResult;
const controllers: TestController[] = [];

/** Small bounds: a silent server costs 900 ms (well above a slow answer on a loaded CI machine), a 5xx retry 10 ms, a Retry-After above 1.5 s is not waited out. */
const FAST: ArmTuning = { requestTimeoutMs: 900, tokenTimeoutMs: 900, retryDelayMs: 10, maxRetryAfterMs: 1500 };

function controller(options: Partial<SessionOptions> = {}): TestController {
  const c = new TestController(
    () => ({ cloud: cloudOf(standIn), method: 'environment', knownRoles, tuning: FAST, ...options }),
    catalog,
  );
  controllers.push(c);
  return c;
}

const ASSIGNMENTS_OF = (sub: string) =>
  new RegExp(`^/subscriptions/${sub}/providers/Microsoft\\.Authorization/roleAssignments$`);

function find(rows: readonly Row[], re: RegExp): Row {
  const row = rows.find((r) => re.test(r.text));
  assert.ok(row, `${re} in\n${render(rows)}`);
  return row;
}

/** The rows right under `parent` (the next deeper level until the next row at its depth). */
function under(rows: readonly Row[], parent: Row): Row[] {
  const start = rows.indexOf(parent);
  const out: Row[] = [];
  for (const r of rows.slice(start + 1)) {
    if (r.depth <= parent.depth) break;
    if (r.depth === parent.depth + 1) out.push(r);
  }
  return out;
}

/** The tree's root when the whole load failed: the reason, then Retry. */
function assertRootError(rows: readonly Row[], reason: RegExp, kind: 'error' | 'signIn' = 'error'): void {
  assert.equal(rows.length, 2, render(rows));
  assert.equal(rows[0]!.contextValue, `message.${kind}`, render(rows));
  assert.match(rows[0]!.text, reason);
  assert.equal(rows[1]!.text, 'Retry');
  assert.equal(rows[1]!.command, 'fluxAzure.azure.refresh');
}

/** A whole, healthy "My access" tree (the stand-in's one forbidden subscription aside). */
function assertHealthy(rows: readonly Row[]): void {
  find(rows, /^fleet-operator \(/);
  find(rows, /^Contoso Fleet Production — 4 role assignments$/);
  find(rows, /^Fabrikam Partner — \d+ role assignments?$/);
  const shared = find(rows, /^Contoso Shared Services — No permission/);
  const problems = rows.filter((r) => r.contextValue?.startsWith('message.') && !under(rows, shared).includes(r));
  assert.deepEqual(problems, [], render(rows));
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

before(async () => {
  standIn = await startStandIn();
  catalog = await examplesCatalog();
  signInAsOperator();
});

afterEach(() => {
  standIn.clearFaults();
  standIn.setTokenLifetime(3599);
  for (const c of controllers.splice(0)) c.dispose();
});

after(async () => {
  await standIn?.stop();
});

describe('My access when ARM misbehaves', () => {
  test(
    '401 on the tenant list: Sign in and Retry items with the reason; Retry loads once ARM accepts',
    BOUND,
    async () => {
      standIn.fault(/^\/tenants$/, {
        kind: 'status',
        status: 401,
        code: 'InvalidAuthenticationToken',
        message: 'The access token is invalid.',
        headers: {
          'www-authenticate': `Bearer authorization_uri="${standIn.url}/${T1}", error="invalid_token", error_description="The access token is invalid."`,
        },
      });
      const c = controller();
      const rows = await walk(c.access);
      assertRootError(rows, /Not authorized \(InvalidAuthenticationToken\): The access token is invalid\./, 'signIn');
      assert.equal(rows[0]!.text.split(' — ')[0], 'Sign in to Azure…');
      assert.equal(rows[0]!.command, 'fluxAzure.azure.signIn');
      assert.equal(c.access.model, undefined);

      standIn.clearFaults();
      c.refresh();
      assertHealthy(await walk(c.access));
    },
  );

  test('403 on one subscription: that subscription says why, with Retry; the others load', BOUND, async () => {
    standIn.fault(ASSIGNMENTS_OF(SUB_STAGING), {
      kind: 'status',
      status: 403,
      code: 'AuthorizationFailed',
      message: `The client '${OPERATOR.objectIds[T1]}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read'.`,
    });
    const rows = await walk(controller().access);
    const staging = find(rows, /^Contoso Fleet Staging — No permission \(AuthorizationFailed\)/);
    assert.deepEqual(
      under(rows, staging).map((r) => [r.contextValue, r.text.slice(0, 40)]),
      [
        ['message.error', 'No permission (AuthorizationFailed): The'],
        ['message.retry', 'Retry'],
      ],
    );
    find(rows, /^Contoso Fleet Production — 4 role assignments$/);
  });

  test('429 with a short Retry-After: waited out, then the data', BOUND, async () => {
    standIn.fault(ASSIGNMENTS_OF(SUB_PROD), throttling(1), 1);
    const { value: rows, ms } = await timed(() => walk(controller().access));
    assertHealthy(rows);
    assert.ok(ms >= 900, `waited ${ms} ms for Retry-After: 1`);
    assert.ok(standIn.requests.some((r) => r.status === 429 && ASSIGNMENTS_OF(SUB_PROD).test(r.path)));
  });

  test('429 with a Retry-After of an hour: not waited out; says when to retry, offers Retry', BOUND, async () => {
    const before = standIn.requests.length;
    standIn.fault(ASSIGNMENTS_OF(SUB_PROD), throttling(3600));
    const { value: rows, ms } = await timed(() => walk(controller().access));
    assert.ok(ms < 5000, `took ${ms} ms`);
    const prod = find(
      rows,
      /^Contoso Fleet Production — Azure Resource Manager is throttling requests\. Try again in 60 min\.$/,
    );
    assert.deepEqual(
      under(rows, prod).map((r) => r.contextValue),
      ['message.error', 'message.retry'],
    );
    const asked = standIn.requests.slice(before).filter((r) => ASSIGNMENTS_OF(SUB_PROD).test(r.path));
    assert.equal(asked.length, 1, 'no retry against an hour-long Retry-After');
    find(rows, /^Contoso Fleet Staging — \d+ role assignments$/);
  });

  test('500 once: retried by the SDK, the data; 500 for good: the reason and Retry', BOUND, async () => {
    standIn.fault(ASSIGNMENTS_OF(SUB_PROD), { kind: 'status', status: 500, code: 'InternalServerError' }, 1);
    assertHealthy(await walk(controller().access));

    const before = standIn.requests.length;
    standIn.fault(ASSIGNMENTS_OF(SUB_PROD), {
      kind: 'status',
      status: 500,
      code: 'InternalServerError',
      message: 'Encountered internal server error.',
    });
    const rows = await walk(controller().access);
    const prod = find(
      rows,
      /^Contoso Fleet Production — Azure answered 500 InternalServerError: Encountered internal server error\.$/,
    );
    assert.deepEqual(
      under(rows, prod).map((r) => r.contextValue),
      ['message.error', 'message.retry'],
    );
    const asked = standIn.requests.slice(before).filter((r) => ASSIGNMENTS_OF(SUB_PROD).test(r.path));
    assert.equal(asked.length, 4, 'one attempt and three retries');
  });

  test('503 on the tenant list: retried (Retry-After honoured), then the reason and Retry', BOUND, async () => {
    standIn.fault(/^\/tenants$/, {
      kind: 'status',
      status: 503,
      code: 'ServiceUnavailable',
      message: 'The service is unavailable.',
      headers: { 'retry-after': '3600' },
    });
    const c = controller();
    const { value: rows, ms } = await timed(() => walk(c.access));
    assert.ok(ms < 5000, `took ${ms} ms`);
    assertRootError(rows, /^Azure answered 503 ServiceUnavailable: The service is unavailable\. Try again in 60 min\./);

    standIn.clearFaults();
    standIn.fault(/^\/tenants$/, { kind: 'status', status: 503, code: 'ServiceUnavailable' }, 2);
    c.refresh();
    assertHealthy(await walk(c.access));
  });

  test('a slow answer within the time limit: the data', BOUND, async () => {
    standIn.fault(/^\/tenants$/, { kind: 'delay', ms: 150 });
    standIn.fault(ASSIGNMENTS_OF(SUB_PROD), { kind: 'delay', ms: 150 });
    assertHealthy(await walk(controller().access));
  });

  test('no answer at all on the tenant list: times out with the reason and Retry, not a spinner', BOUND, async () => {
    standIn.fault(/^\/tenants$/, { kind: 'hang' });
    const c = controller();
    const { value: rows, ms } = await timed(() => walk(c.access));
    assertRootError(rows, /^Azure Resource Manager \(127\.0\.0\.1:\d+\) did not answer within 900 ms\.$/);
    assert.ok(ms < 6000, `took ${ms} ms`);
    assert.equal(
      standIn.requests.filter((r) => r.path === '/tenants' && r.status === 0).length,
      1,
      'a timeout is not retried (it would multiply the wait)',
    );

    standIn.clearFaults();
    c.refresh();
    assertHealthy(await walk(c.access));
  });

  test(
    'no answer on one subscription, a body that never ends on another: those two time out, the rest loads',
    BOUND,
    async () => {
      standIn.fault(ASSIGNMENTS_OF(SUB_PROD), { kind: 'hang' });
      standIn.fault(ASSIGNMENTS_OF(SUB_FABRIKAM), { kind: 'stall' });
      const { value: rows, ms } = await timed(() => walk(controller().access));
      assert.ok(ms < 6000, `took ${ms} ms`);
      for (const name of ['Contoso Fleet Production', 'Fabrikam Partner']) {
        const row = find(
          rows,
          new RegExp(`^${name} — Azure Resource Manager \\(127\\.0\\.0\\.1:\\d+\\) did not answer within 900 ms\\.$`),
        );
        assert.deepEqual(
          under(rows, row).map((r) => r.contextValue),
          ['message.error', 'message.retry'],
        );
      }
      find(rows, /^Contoso Fleet Staging — \d+ role assignments$/);
    },
  );

  test('the token endpoint never answers: times out with the reason and Retry', BOUND, async () => {
    standIn.fault(/\/oauth2\/v2\.0\/token$/, { kind: 'hang' });
    const c = controller();
    const { value: rows, ms } = await timed(() => walk(c.access));
    assert.ok(ms < 6000, `took ${ms} ms`);
    assertRootError(rows, /^Getting an Azure token \(Environment \(service principal\)\) took longer than 900 ms\.$/);

    standIn.clearFaults();
    c.refresh();
    assertHealthy(await walk(c.access));
  });

  test('the settings cannot make a session: an item says why (getChildren does not throw)', BOUND, async () => {
    const c = new TestController(() => {
      throw new Error('The custom cloud needs fluxAzure.azure.customCloud.resourceManagerEndpoint.');
    }, catalog);
    const rows = await walk(c.access);
    assertRootError(rows, /customCloud\.resourceManagerEndpoint/);
    const readiness = await walk(c.readiness);
    assert.match(readiness[0]!.text, /customCloud\.resourceManagerEndpoint/);
  });

  test(
    'a token that expires while a listing pages: the credential is asked again, the listing completes',
    BOUND,
    async () => {
      // VS Code's account provider hands out two-second tokens; page 1 of production's assignments answers after the
      // token expired, so page 2 needs a new one (the stand-in rejects expired tokens with ExpiredAuthenticationToken).
      const asked: string[] = [];
      const c = controller({
        method: 'vscode',
        tuning: { ...FAST, requestTimeoutMs: 10_000 },
        getVscodeSession: async (scopes) => {
          const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length) ?? T1;
          asked.push(tenant);
          return { accessToken: standIn.issue(tenant, 2), account: { label: 'operator@contoso.test' } };
        },
      });
      standIn.fault(ASSIGNMENTS_OF(SUB_PROD), { kind: 'delay', ms: 2200 }, 1);
      const before = standIn.requests.length;
      const rows = await walk(c.access);
      assertHealthy(rows);
      const pages = standIn.requests.slice(before).filter((r) => ASSIGNMENTS_OF(SUB_PROD).test(r.path));
      assert.deepEqual(
        pages.map((r) => [r.status, r.page ?? '']),
        [
          [200, ''],
          [200, '3'],
        ],
      );
      assert.notEqual(pages[0]!.token, pages[1]!.token, 'page 2 went out with a new token');
      assert.ok(asked.filter((t) => t === T1).length >= 3, `credential asked ${asked.length} times`);
      assert.ok(
        !standIn.requests
          .slice(before)
          .some((r) => r.status === 401 && !/a0b0c0d0-0000-4000-8000-000000000005/.test(r.path)),
      );
    },
  );
});

describe('Flux readiness when ARM misbehaves', () => {
  test(
    'no Resource Graph, and lists that never answer: the affected integrations say what could not be searched',
    BOUND,
    async () => {
      // Resource Graph refused: the per-subscription lists, of which production's never answer.
      standIn.fault(/^\/providers\/Microsoft\.ResourceGraph\/resources$/, {
        kind: 'status',
        status: 403,
        code: 'AuthorizationFailed',
        message: "The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read'.",
      });
      standIn.fault(new RegExp(`^/subscriptions/${SUB_PROD}/providers/[^/]+/[^/]+$`), { kind: 'hang' });
      const { value: rows, ms } = await timed(() => walk(controller().readiness));
      assert.ok(ms < 5000, `took ${ms} ms`);
      const podinfo = find(rows, /^OCIRepository podinfo\/podinfo — \? /);
      assert.match(podinfo.text, /could not search subscriptions Contoso Fleet Production \(offline\)/);
      // Staging's resources still answer.
      find(rows, /^clusters\/staging — [1-9]\d* ✓/);
    },
  );

  test(
    'the tenant list failing with 500: the reason and Retry above what the manifests alone decide',
    BOUND,
    async () => {
      standIn.fault(/^\/tenants$/, { kind: 'status', status: 500, code: 'InternalServerError', message: 'Boom.' });
      const rows = await walk(controller().readiness);
      assert.equal(rows[0]!.text, 'Azure answered 500 InternalServerError: Boom.');
      assert.equal(rows[1]!.text, 'Retry');
      find(rows, /^GitRepository flux-system\/flux-system — \? ADO /);
    },
  );
});
