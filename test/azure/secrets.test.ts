// Credentials never leak out of the Azure views: with the Azure SDK's own logging at its most verbose, the client
// secret, the client certificate (file and key), and the tokens the stand-in issues — each carrying LEAK_MARKER —
// must not appear in any output-channel line, tree item (label, description, tooltip), notification text, SDK log
// line, console output, or message / stack / inspection of an error our code throws. The loads run the real tree
// providers with the real SDK clients, healthy and against servers that echo the request's Authorization header
// back (JSON errors, HTML gateway pages), for each sign-in method that takes a secret.
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import { after, afterEach, before, describe, test } from 'node:test';
import { AzureLogger, setLogLevel } from '@azure/logger';
import { createSession, type SessionOptions } from '../../azure/src/session';
import { describeError } from '../../azure/src/errors';
import { redact } from '../../azure/src/redact';
import type { ArmTuning } from '../../azure/src/arm';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { runCli, writeCloudConfig, type Run } from './cliHarness';
import { startStandIn, type StandIn } from './standIn';
import { cloudOf, cloudWithServicesOf, examplesCatalog, knownRoles } from './cloud';
import { render, TestController, walk } from './treeHarness';
import { shownMessages } from './vscodeStub';
import { LEAK_MARKER, OPERATOR, SUB_PROD, SUB_STAGING, T1, T2 } from './world';

const BOUND = { timeout: 30_000 };
const FAST: ArmTuning = { requestTimeoutMs: 2000, tokenTimeoutMs: 2000, retryDelayMs: 10, maxRetryAfterMs: 1500 };

let standIn: StandIn;
let catalog: IntegrationsResult;
/** Everything a user (or a log collector) could see. */
const seen: { where: string; text: string }[] = [];
const see = (where: string, text: string) => seen.push({ where, text });

const CONSOLE = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const originalConsole = Object.fromEntries(CONSOLE.map((k) => [k, console[k]]));

/** What must never be seen: the marker, the secret, any line of the client certificate's private key. */
function leaks(text: string): string | undefined {
  if (text.includes(LEAK_MARKER)) return LEAK_MARKER;
  if (text.includes(OPERATOR.secret)) return 'the client secret';
  return standIn.clientKeyLines.find((line) => text.includes(line.slice(8, 48)));
}

function assertNoLeaks(): void {
  for (const { where, text } of seen.splice(0)) {
    const found = leaks(text);
    assert.equal(found, undefined, `${found} in ${where}: ${text.slice(0, 600)}`);
  }
}

const ASSIGNMENTS_OF = (sub: string) =>
  new RegExp(`^/subscriptions/${sub}/providers/Microsoft\\.Authorization/roleAssignments$`);

function controller(options: Partial<SessionOptions>): TestController {
  return new TestController(
    () => ({ cloud: cloudOf(standIn), method: 'environment', knownRoles, tuning: FAST, ...options }),
    catalog,
  );
}

/** Walks both views (as VS Code would), recording what they show and what the controller logged. */
async function show(c: TestController, label: string): Promise<string> {
  const access = await walk(c.access);
  const readiness = await walk(c.readiness);
  for (const r of [...access, ...readiness]) see(`${label}: tree item`, r.shown);
  for (const line of c.lines.splice(0)) see(`${label}: output channel`, line);
  return `${render(access)}\n${render(readiness)}`;
}

/** An error our code let escape: its message, stack and inspection (what `console.error(err)` would print). */
function seeError(where: string, err: unknown): void {
  const e = err as Error;
  see(`${where}: error message`, String(e?.message));
  see(`${where}: error stack`, String(e?.stack));
  see(`${where}: inspected error`, inspect(err, { depth: 6 }));
  see(`${where}: described error`, describeError(err).message);
}

/** Servers that quote the request's headers back: JSON errors from ARM, HTML pages from a gateway. */
function echoEverywhere(): void {
  standIn.fault(ASSIGNMENTS_OF(SUB_PROD), { kind: 'echoAuthorization', status: 500 });
  standIn.fault(ASSIGNMENTS_OF(SUB_STAGING), { kind: 'echoAuthorization', status: 502, html: true });
  standIn.fault(/^\/subscriptions\/[^/]+\/resources$/, { kind: 'echoAuthorization', status: 502, html: true });
  standIn.fault(/\/userAssignedIdentities$/, { kind: 'echoAuthorization', status: 400 });
}

before(async () => {
  standIn = await startStandIn();
  catalog = await examplesCatalog();
  // The SDK's own logs at their most verbose (what AZURE_LOG_LEVEL=verbose prints: request and response headers,
  // identity and MSAL), into `seen`.
  setLogLevel('verbose');
  AzureLogger.log = (...args: unknown[]) => see('Azure SDK log', format(...args));
  for (const k of CONSOLE) console[k] = (...args: unknown[]) => see(`console.${k}`, format(...args));
  process.env.AZURE_TENANT_ID = T1;
  process.env.AZURE_CLIENT_ID = OPERATOR.clientId;
});

afterEach(() => {
  standIn.clearFaults();
  for (const message of shownMessages.splice(0)) see('notification', message);
  assertNoLeaks();
});

after(async () => {
  setLogLevel();
  for (const k of CONSOLE) console[k] = originalConsole[k] as (typeof console)[typeof k];
  await standIn?.stop();
});

describe('no credential leaks out of the Azure views', () => {
  test('client secret: healthy loads, echoing servers, a wrong secret', BOUND, async () => {
    process.env.AZURE_CLIENT_SECRET = OPERATOR.secret;
    delete process.env.AZURE_CLIENT_CERTIFICATE_PATH;
    const c = controller({});
    const healthy = await show(c, 'secret, healthy');
    assert.match(healthy, /Contoso Fleet Production — 4 role assignments/);
    assert.match(healthy, /OCIRepository podinfo\/podinfo — ✓/);

    echoEverywhere();
    c.refresh();
    const echoed = await show(c, 'secret, echoing servers');
    // The echoed errors are shown, without the header's value.
    assert.match(echoed, /Contoso Fleet Production — Azure answered 500 GatewayError: .*authorization=\[redacted\]/);
    assert.match(echoed, /Contoso Fleet Staging — Azure answered 502: 502 Bad Gateway .*Authorization: \[redacted\]/);

    // The whole load failing on an echoing gateway: the error that leaves the session, and the root item.
    standIn.fault(/^\/tenants$/, { kind: 'echoAuthorization', status: 502, html: true });
    const session = createSession({ cloud: cloudOf(standIn), method: 'environment', knownRoles, tuning: FAST });
    await assert.rejects(session.loadAccess(), (err: unknown) => {
      seeError('loadAccess', err);
      return true;
    });
    c.refresh();
    assert.match(await show(c, 'secret, echoing tenant list'), /^Azure answered 502: 502 Bad Gateway/);
    session.dispose();

    // A wrong secret (which carries the marker too): sign-in fails, saying why without the secret.
    standIn.clearFaults();
    process.env.AZURE_CLIENT_SECRET = `wrong-${LEAK_MARKER}-secret-value`;
    const wrong = createSession({ cloud: cloudOf(standIn), method: 'environment', knownRoles, tuning: FAST });
    await assert.rejects(wrong.signIn(), (err: unknown) => {
      seeError('signIn with a wrong secret', err);
      // What the controller shows: `Flux for Azure: sign-in failed: <reason>`.
      see('notification', `Flux for Azure: sign-in failed: ${describeError(err).message}`);
      assert.equal(describeError(err).kind, 'signedOut');
      assert.match(describeError(err).message, /^AADSTS7000215: Invalid client secret provided\./);
      return true;
    });
    wrong.dispose();
    const refused = controller({});
    assert.match(await show(refused, 'wrong secret'), /Sign in to Azure… — AADSTS7000215/);
    refused.dispose();
    c.dispose();
  });

  test('client certificate: healthy loads, echoing servers, a damaged certificate file', BOUND, async () => {
    delete process.env.AZURE_CLIENT_SECRET;
    process.env.AZURE_CLIENT_CERTIFICATE_PATH = standIn.clientCertificateFile;
    try {
      assert.match(readFileSync(standIn.clientCertificateFile, 'utf8'), new RegExp(LEAK_MARKER));
      const c = controller({});
      const healthy = await show(c, 'certificate, healthy');
      assert.match(healthy, /Contoso Fleet Production — 4 role assignments/);
      assert.ok(
        standIn.requests.some((r) => r.path === `/${T1}/oauth2/v2.0/token` && r.status === 200),
        'signed in with a client assertion',
      );
      echoEverywhere();
      c.refresh();
      await show(c, 'certificate, echoing servers');
      c.dispose();

      // The key's body damaged (with the marker inside): the credential fails without quoting the file.
      const dir = mkdtempSync(join(tmpdir(), 'flux-azure-cert-'));
      const damaged = join(dir, 'damaged.pem');
      writeFileSync(
        damaged,
        readFileSync(standIn.clientCertificateFile, 'utf8').replace(
          /(-----BEGIN PRIVATE KEY-----\n)([A-Za-z0-9+/]{20})/,
          `$1${LEAK_MARKER}$2`,
        ),
      );
      process.env.AZURE_CLIENT_CERTIFICATE_PATH = damaged;
      const broken = controller({});
      const text = await show(broken, 'certificate, damaged file');
      assert.doesNotMatch(text, /4 role assignments/);
      const session = createSession({ cloud: cloudOf(standIn), method: 'environment', knownRoles, tuning: FAST });
      await assert.rejects(session.loadAccess(), (err: unknown) => {
        seeError('loadAccess with a damaged certificate', err);
        return true;
      });
      session.dispose();
      broken.dispose();
    } finally {
      delete process.env.AZURE_CLIENT_CERTIFICATE_PATH;
    }
  });

  test('VS Code account tokens: healthy loads, echoing servers, a refused token', BOUND, async () => {
    delete process.env.AZURE_CLIENT_SECRET;
    const getVscodeSession = async (scopes: string[]) => {
      const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length) ?? T1;
      return { accessToken: standIn.issue(tenant), account: { label: 'operator@contoso.test' } };
    };
    const c = controller({ method: 'vscode', getVscodeSession });
    assert.match(await show(c, 'VS Code, healthy'), /Fabrikam Partner — 2 role assignments/);
    echoEverywhere();
    c.refresh();
    await show(c, 'VS Code, echoing servers');

    // ARM refuses the token, quoting it in the message.
    standIn.clearFaults();
    const token = standIn.issue(T2);
    standIn.fault(/^\/tenants$/, {
      kind: 'status',
      status: 401,
      code: 'InvalidAuthenticationToken',
      message: `The access token '${token}' is invalid.`,
      headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid."' },
    });
    c.refresh();
    assert.match(
      await show(c, 'VS Code, refused token'),
      /Sign in to Azure… — Not authorized \(InvalidAuthenticationToken\)/,
    );
    const session = createSession({ cloud: cloudOf(standIn), method: 'vscode', knownRoles, getVscodeSession });
    await assert.rejects(session.loadAccess(), (err: unknown) => {
      seeError('loadAccess with a refused token', err);
      return true;
    });
    session.dispose();
    c.dispose();
  });

  test('Microsoft Graph and Azure DevOps tokens: healthy loads, echoing Graph servers', BOUND, async () => {
    process.env.AZURE_CLIENT_SECRET = OPERATOR.secret;
    delete process.env.AZURE_CLIENT_CERTIFICATE_PATH;
    const c = controller({ cloud: cloudWithServicesOf(standIn) });
    const healthy = await show(c, 'Graph, healthy');
    assert.match(healthy, /Secret flux-system\/receiver-token — ✗ AKV .*uses access policies/);
    assert.ok(standIn.requests.some((r) => r.path.startsWith('/v1.0/servicePrincipals') && r.status === 200));

    // Graph answering with the request's Authorization header quoted: a JSON error and an HTML gateway page.
    standIn.fault(/^\/v1\.0\/servicePrincipals/, { kind: 'echoAuthorization', status: 403 });
    standIn.fault(/^\/contoso\/_apis\//, { kind: 'echoAuthorization', status: 502, html: true });
    c.refresh();
    const echoed = await show(c, 'Graph, echoing servers');
    assert.match(
      echoed,
      /Secret flux-system\/receiver-token — \? AKV .*Microsoft Graph could not read the service principal .*authorization=\[redacted\]/,
    );
    assert.match(echoed, /GitRepository podinfo\/podinfo-deploy — \? ADO .*Authorization: \[redacted\]/);
    c.dispose();
  });

  test('redaction leaves what ARM and Entra ordinarily say alone', BOUND, () => {
    for (const text of [
      "The client '1111' with object id '1111' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '/subscriptions/x' or the scope is invalid.",
      "The access token is from the wrong issuer 'https://sts.windows.net/aaaa/'. It must match the tenant 'https://sts.windows.net/bbbb/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/bbbb' to get the token.",
      'Bearer authorization_uri="https://login.windows.net/bbbb", error="invalid_token", error_description="The access token is invalid."',
      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'x'.",
      'Azure Resource Manager (127.0.0.1:443) did not answer within 30 s.',
    ])
      assert.equal(redact(text, {}), text);
  });

  test('the leak check itself finds a token (the marker and the redaction patterns work)', BOUND, () => {
    const token = standIn.issue(T1);
    assert.ok(token.includes(LEAK_MARKER));
    assert.ok(leaks(`Authorization: Bearer ${token}`));
    for (const text of [
      `Authorization: Bearer ${token}`,
      `{"access_token":"${token}","token_type":"Bearer"}`,
      `client_secret=${encodeURIComponent(OPERATOR.secret)}&client_id=x`,
      `client_assertion=${token}&grant_type=client_credentials`,
      readFileSync(standIn.clientCertificateFile, 'utf8').replace(/friendlyName: .*/g, ''),
      `headers: authorization=${token.split('.').slice(1).join('.')}; x=1`,
    ])
      assert.equal(leaks(redact(text, {})), undefined, redact(text, {}));
  });
});

describe('no credential leaks out of flux-azure-check --azure', () => {
  /** What CI logs keep: both streams of a run. */
  const seeRun = (label: string, run: Run) => {
    see(`${label}: CLI stdout`, run.out);
    see(`${label}: CLI stderr`, run.err);
  };

  test('healthy, echoing servers, a wrong secret, and the SDK logging at its most verbose', BOUND, async () => {
    const args = ['examples', '--azure', '--cloud-config', writeCloudConfig(standIn)];
    const healthy = await runCli([...args, '--format', 'json']);
    seeRun('CLI, healthy', healthy);
    assert.equal(healthy.code, 1, healthy.err);
    // Nor the id of the credential it signed in with: CI logs are read by more people than the secret store.
    for (const text of [healthy.out, healthy.err]) assert.ok(!text.toLowerCase().includes(OPERATOR.clientId));

    // Servers quoting the Authorization header back (statuses the SDK does not retry: the CLI keeps its default
    // retry delays), with the SDK's request logging on (AZURE_LOG_LEVEL).
    standIn.fault(/\/providers\/Microsoft\.Authorization\/roleAssignments$/, {
      kind: 'echoAuthorization',
      status: 403,
    });
    standIn.fault(/\/federatedIdentityCredentials$/, { kind: 'echoAuthorization', status: 404, html: true });
    standIn.fault(new RegExp(`^/subscriptions/${SUB_STAGING}/`), { kind: 'echoAuthorization', status: 400 });
    standIn.fault(/^\/v1\.0\//, { kind: 'echoAuthorization', status: 403 });
    const echoed = await runCli(args, { AZURE_LOG_LEVEL: 'verbose' });
    seeRun('CLI, echoing servers, verbose SDK log', echoed);
    assert.match(
      echoed.out,
      /\? ACR OCIRepository podinfo\/podinfo .*No permission \(GatewayError\): The gateway could not forward GET /,
    );
    assert.match(echoed.err, /azure:core-rest-pipeline/, 'the SDK log is on');
    assert.match(echoed.out, /\? ABS Bucket platform\/terraform-outputs .*Microsoft Graph could not read /);

    // A wrong secret (carrying the marker): exit 4 and why, without the secret.
    standIn.clearFaults();
    const wrong = await runCli(args, { AZURE_CLIENT_SECRET: `wrong-${LEAK_MARKER}-secret-value` });
    seeRun('CLI, wrong secret', wrong);
    assert.equal(wrong.code, 4);
    assert.match(wrong.err, /^flux-azure-check: --azure: .*AADSTS7000215: Invalid client secret provided\./m);
  });
});
