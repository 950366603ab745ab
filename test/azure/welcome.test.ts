// When the Azure views have nothing to list they return no items, so that VS Code shows their welcome content
// (package.json `viewsWelcome`, picked by the `<view>.welcome` context key): signed out, and a workspace without
// Flux objects that use Azure. A refused sign-in is not "signed out": its row keeps Azure's reason.
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { startStandIn, type StandIn } from './standIn';
import { cloudOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { render, TestController, walk } from './treeHarness';

let standIn: StandIn;
let catalog: IntegrationsResult;
const controllers: TestController[] = [];

function controller(method: 'environment' | 'deviceCode', answer = catalog): TestController {
  const c = new TestController(() => ({ cloud: cloudOf(standIn), method, knownRoles }), answer);
  controllers.push(c);
  return c;
}

before(async () => {
  standIn = await startStandIn();
  signInAsOperator();
  catalog = await examplesCatalog();
});

after(async () => {
  for (const c of controllers) c.dispose();
  await standIn?.stop();
});

test('signed out: My access lists nothing and asks for the signed-out welcome; signing in fills it', async () => {
  const c = controller('deviceCode'); // starts signed out until signIn
  assert.deepEqual(await walk(c.access), []);
  assert.equal(c.welcome.get('fluxAzure.access'), 'signedOut');
  assert.ok(
    c.lines.some((l) => /fluxAzure\.access: signed out/.test(l)),
    'the reason is in the log',
  );
  // Readiness still shows what the manifests alone decide, with a way to sign in.
  const readiness = await walk(c.readiness);
  assert.match(readiness[0]!.text, /^Sign in to Azure…/, render(readiness));
  assert.ok(readiness.some((r) => r.node.type === 'cluster'));
  assert.equal(c.welcome.get('fluxAzure.readiness'), undefined);

  // Signed in (the environment credential of the operator): the items, and no welcome.
  const signedIn = controller('environment');
  const rows = await walk(signedIn.access);
  assert.ok(rows.length > 3, render(rows));
  assert.equal(signedIn.welcome.get('fluxAzure.access'), undefined);
});

test('a sign-in Azure refused keeps its row with the reason (not the signed-out welcome)', async () => {
  const secret = process.env.AZURE_CLIENT_SECRET;
  process.env.AZURE_CLIENT_SECRET = 'not-the-secret';
  try {
    const c = controller('environment');
    const rows = await walk(c.access);
    assert.match(rows[0]!.text, /^Sign in to Azure… — AADSTS/, render(rows));
    assert.notEqual(c.welcome.get('fluxAzure.access'), 'signedOut');
  } finally {
    process.env.AZURE_CLIENT_SECRET = secret;
  }
});

test('no Flux objects that use Azure: Flux readiness lists nothing and asks for the example-fleet welcome', async () => {
  const c = controller('environment', { ...catalog, integrations: [] });
  assert.deepEqual(await walk(c.readiness), []);
  assert.equal(c.welcome.get('fluxAzure.readiness'), 'noFluxObjects');
  const full = controller('environment');
  assert.ok((await walk(full.readiness)).length > 0);
  assert.equal(full.welcome.get('fluxAzure.readiness'), undefined);
});
