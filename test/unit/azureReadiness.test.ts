// Scope coverage (shared by the catalog and the Azure view) and the readiness decisions of the Flux readiness view.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  assignmentCoversTarget,
  isManagementGroupScope,
  scopeCovers,
  scopeForSdk,
  subscriptionOf,
} from '../../shared/src/armScope';
import type { AzureIntegration } from '../../shared/src/protocol';
import { decideFederation, decideReadiness, targetScopeOf, type FederationFacts } from '../../azure/src/readiness';
import type { AssignmentView } from '../../azure/src/model';
import { describeError, tenantFromChallenge } from '../../azure/src/errors';
import { VscodeSessionCredential, forTenant } from '../../azure/src/credentials';
import { describeScope, scopeNodes } from '../../client/src/views/scopeGroups';
import { grantText } from '../../server/src/features/grants';
import { SCOPE_FORMATS, roleByName } from '../../server/src/catalog';

const SUB = '/subscriptions/00000000-0000-4000-8000-000000000001';
const RG = `${SUB}/resourceGroups/rg-flux`;
const ACR = `${RG}/providers/Microsoft.ContainerRegistry/registries/contosofleet`;
const MG = '/providers/Microsoft.Management/managementGroups/platform';

describe('scope coverage', () => {
  test('equal, ancestors at / boundaries, root; case-insensitive; trailing slashes ignored', () => {
    assert.ok(scopeCovers(RG, ACR));
    assert.ok(scopeCovers(SUB, ACR));
    assert.ok(scopeCovers(ACR, ACR));
    assert.ok(scopeCovers('/', ACR));
    assert.ok(scopeCovers(RG.replace('resourceGroups', 'resourcegroups').toUpperCase(), ACR));
    assert.ok(scopeCovers(`${RG}/`, ACR));
    assert.ok(!scopeCovers(`${SUB}/resourceGroups/rg-flu`, ACR), 'prefix that is not a path boundary');
    assert.ok(!scopeCovers(`${SUB}/resourceGroups/rg-flux2`, `${RG}`));
    assert.ok(!scopeCovers(ACR, RG), 'a child does not cover its parent');
    assert.ok(!scopeCovers(`${ACR}2`, ACR));
  });

  test('management groups: not by string, but by definition in an atScope() answer', () => {
    assert.ok(isManagementGroupScope(MG));
    assert.ok(!isManagementGroupScope(SUB));
    assert.ok(!scopeCovers(MG, ACR));
    assert.ok(assignmentCoversTarget(MG, ACR));
    assert.ok(assignmentCoversTarget('/', ACR));
    assert.ok(assignmentCoversTarget(RG, ACR));
    assert.ok(!assignmentCoversTarget(`${SUB}/resourceGroups/other`, ACR));
    assert.ok(!assignmentCoversTarget(MG, '/providers/Microsoft.Management/managementGroups/other'));
  });

  test('SDK scope form and subscription id', () => {
    assert.equal(scopeForSdk(ACR), ACR.slice(1));
    assert.equal(subscriptionOf(ACR.toUpperCase()), '00000000-0000-4000-8000-000000000001');
    assert.equal(subscriptionOf(MG), undefined);
  });

  test('scope level labels come from the catalog formats', () => {
    const formats = SCOPE_FORMATS.map((f) => ({ id: f.id, label: f.label, pattern: f.pattern }));
    assert.deepEqual(describeScope(RG, formats), { level: 'Resource group', name: 'rg-flux' });
    assert.deepEqual(describeScope(MG, formats), { level: 'Management group', name: 'platform' });
    assert.deepEqual(describeScope('/', formats), { level: 'Tenant root', name: '/' });
    assert.deepEqual(describeScope(`${RG}/providers/Microsoft.Web/sites/app`, formats), {
      level: 'Resource (Microsoft.Web/sites)',
      name: 'app',
    });
    const nodes = scopeNodes(
      't',
      [
        assignment({ scope: RG }),
        assignment({ scope: MG }),
        assignment({ scope: SUB }),
        assignment({ scope: RG, roleName: 'Reader' }),
      ],
      formats,
      { subscriptionId: SUB.split('/')[2]!, displayName: 'Fleet' },
    );
    assert.deepEqual(
      nodes.map((n) => (n.type === 'scope' ? `${n.level}:${n.name}:${n.assignments.length}` : n.type)),
      ['Management group:platform:1', 'Subscription:Fleet:1', 'Resource group:rg-flux:2'],
    );
  });
});

function assignment(over: Partial<AssignmentView>): AssignmentView {
  return {
    id: 'a',
    scope: ACR,
    roleGuid: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
    roleName: 'AcrPull',
    principalId: 'p',
    viaGroup: false,
    ...over,
  };
}

const role = (name: string) => {
  const r = roleByName(name)!;
  return { guid: r.guid, name: r.name };
};

function integration(over: Partial<AzureIntegration> = {}): AzureIntegration {
  return {
    key: 'k',
    clusters: ['clusters/production'],
    object: {
      kind: 'OCIRepository',
      name: 'podinfo',
      namespace: 'podinfo',
      location: { uri: 'file:///x.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
    },
    service: { id: 'acr', name: 'Azure Container Registry', abbreviation: 'ACR' },
    resource: {
      display: 'contosofleet.azurecr.io',
      armType: 'Microsoft.ContainerRegistry/registries',
      name: 'contosofleet',
      level: 'containerRegistry',
    },
    identity: {
      source: 'serviceAccount',
      label: 'ServiceAccount podinfo/podinfo-source',
      clientId: 'c',
      tenantId: 't',
    },
    need: { kind: 'azureRole', roles: [role('AcrPull'), role('AcrPush'), role('Owner')] },
    namespace: 'podinfo',
    ...over,
  };
}

const found = { principal: { value: 'p' }, resourceId: { value: ACR } };

describe('readiness decisions', () => {
  test('✓ with the covering assignment: on the resource, inherited, from a management group, superset roles', () => {
    let r = decideReadiness(integration(), { ...found, assignments: { value: [assignment({})] } });
    assert.equal(r.state, 'ok');
    assert.equal(r.summary, 'AcrPull on the resource');
    r = decideReadiness(integration(), {
      ...found,
      assignments: { value: [assignment({ scope: RG, roleName: 'AcrPush', roleGuid: role('AcrPush').guid })] },
    });
    assert.equal(r.state, 'ok');
    assert.equal(r.summary, `AcrPush inherited from ${RG}`);
    r = decideReadiness(integration(), { ...found, assignments: { value: [assignment({ scope: MG })] } });
    assert.equal(r.state, 'ok');
    assert.equal(r.covering?.scope, MG);
  });

  test('prefers an unconditional grant, then the recommended role', () => {
    const conditional = assignment({ id: 'cond', condition: '@Resource[x] StringEquals y' });
    const owner = assignment({ id: 'owner', scope: SUB, roleName: 'Owner', roleGuid: role('Owner').guid });
    const r = decideReadiness(integration(), { ...found, assignments: { value: [conditional, owner] } });
    assert.equal(r.covering?.id, 'owner');
    const only = decideReadiness(integration(), { ...found, assignments: { value: [conditional] } });
    assert.equal(only.state, 'ok');
    assert.match(only.summary, /condition/);
  });

  test('✗ with what to grant on the narrowest scope, naming roles held that do not count', () => {
    const blob = integration({
      service: { id: 'blobStorage', name: 'Azure Blob Storage', abbreviation: 'ABS' },
      resource: {
        display: 'https://st.blob.core.windows.net/cfg',
        armType: 'Microsoft.Storage/storageAccounts',
        name: 'st',
        subPath: '/blobServices/default/containers/cfg',
        level: 'blobContainer',
      },
      need: { kind: 'azureRole', roles: [role('Storage Blob Data Reader'), role('Storage Blob Data Contributor')] },
    });
    const account = `${RG}/providers/Microsoft.Storage/storageAccounts/st`;
    assert.equal(targetScopeOf(blob, account), `${account}/blobServices/default/containers/cfg`);
    const r = decideReadiness(blob, {
      principal: { value: 'p' },
      resourceId: { value: account },
      assignments: {
        value: [
          assignment({ scope: account, roleName: 'Reader', roleGuid: role('Reader').guid }),
          assignment({ scope: RG, roleName: 'Owner', roleGuid: role('Owner').guid }),
          // A sibling container: returned by a sloppy answer, must not count.
          assignment({
            scope: `${account}/blobServices/default/containers/cfg2`,
            roleName: 'Storage Blob Data Reader',
            roleGuid: role('Storage Blob Data Reader').guid,
          }),
        ],
      },
    });
    assert.equal(r.state, 'missing');
    assert.match(
      r.summary,
      /^Missing Storage Blob Data Reader on https:\/\/st\.blob\.core\.windows\.net\/cfg \(holds Reader, Owner/,
    );
    assert.deepEqual(r.grant, {
      scope: `${account}/blobServices/default/containers/cfg`,
      roleGuid: role('Storage Blob Data Reader').guid,
      roleName: 'Storage Blob Data Reader',
      principalId: 'p',
    });
  });

  test('? with the reason', () => {
    assert.match(decideReadiness(integration({ unknown: 'no channel' }), {}).summary, /no channel/);
    const ado = integration({
      need: { kind: 'adoGroup', group: 'Contributors', organization: 'contoso', project: 'fleet' },
    });
    assert.match(decideReadiness(ado, {}).summary, /not Azure RBAC.*'Contributors' group of project contoso\/fleet/);
    assert.equal(decideReadiness(ado, {}).state, 'unknown');
    assert.match(decideReadiness(integration(), { principal: { value: undefined } }).summary, /az ad sp show --id c/);
    assert.match(
      decideReadiness(integration(), { principal: { error: 'forbidden' } }).summary,
      /Cannot resolve client id c: forbidden/,
    );
    assert.match(
      decideReadiness(integration(), {
        principal: { value: 'p' },
        resourceId: { value: undefined, note: 'could not search subscription X' },
      }).summary,
      /not found .*could not search subscription X/,
    );
    assert.match(
      decideReadiness(integration(), { ...found, assignments: { error: 'No permission' } }).summary,
      /Cannot read role assignments on .*: No permission/,
    );
    assert.match(decideReadiness(integration({ identity: undefined }), found).summary, /identity is not known/);
  });
});

describe('sign-in and errors', () => {
  test('the VS Code credential asks for a session on every call, per tenant, with expiry from the token', async () => {
    const calls: { scopes: string[]; interactive: boolean }[] = [];
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = `h.${Buffer.from(JSON.stringify({ exp, oid: 'o' })).toString('base64url')}.s`;
    const credential = new VscodeSessionCredential(async (scopes, interactive) => {
      calls.push({ scopes, interactive });
      return { accessToken: token, account: { label: 'me@contoso.com' } };
    });
    const t = await credential.getToken('https://management.core.windows.net//.default');
    assert.equal(t.expiresOnTimestamp, exp * 1000);
    await forTenant(credential, 'tenant-b').getToken(['https://management.core.windows.net//.default']);
    assert.deepEqual(calls, [
      { scopes: ['https://management.core.windows.net//.default'], interactive: false },
      { scopes: ['https://management.core.windows.net//.default', 'VSCODE_TENANT:tenant-b'], interactive: false },
    ]);
    assert.equal(credential.accountLabel, 'me@contoso.com');
    const none = new VscodeSessionCredential(async () => undefined);
    await assert.rejects(none.getToken('x'), (err: unknown) => describeError(err).kind === 'signedOut');
  });

  test('errors become items: 403, 429, offline, wrong tenant with the tenant to use', () => {
    assert.equal(describeError({ statusCode: 403, code: 'AuthorizationFailed', message: 'no' }).kind, 'forbidden');
    assert.equal(describeError({ statusCode: 429, code: 'TooManyRequests' }).retryable, true);
    assert.equal(describeError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }).kind, 'offline');
    assert.equal(describeError({ name: 'AbortError' }).kind, 'cancelled');
    const challenge = {
      statusCode: 401,
      code: 'InvalidAuthenticationTokenTenant',
      message: 'wrong issuer',
      response: {
        headers: {
          get: (h: string) =>
            h === 'www-authenticate'
              ? 'Bearer authorization_uri="https://login.windows.net/5e1a7c3d-2b4f-4c8e-9a6d-1f0e3b2c4d5a", error="invalid_token"'
              : undefined,
        },
      },
    };
    assert.equal(tenantFromChallenge(challenge), '5e1a7c3d-2b4f-4c8e-9a6d-1f0e3b2c4d5a');
    assert.equal(describeError(challenge).kind, 'wrongTenant');
  });
});

describe('grant text', () => {
  test('az command and ASO RoleAssignment for the missing role on the narrowest scope', () => {
    const text = grantText({
      scope: ACR,
      roleGuid: role('AcrPull').guid.toUpperCase(),
      principalId: 'p-id',
      name: 'Podinfo Source-AcrPull',
      namespace: 'podinfo',
    });
    assert.equal(
      text.azCli,
      `az role assignment create --assignee-object-id p-id --assignee-principal-type ServicePrincipal --role 7f951dda-4ed3-4680-a7ca-43fe172d538d --scope "${ACR}"`,
    );
    assert.match(
      text.aso,
      /^apiVersion: authorization\.azure\.com\/v1api20220401\nkind: RoleAssignment\nmetadata:\n {2}name: podinfo-source-acrpull\n {2}namespace: podinfo\n/,
    );
    assert.match(
      text.aso,
      new RegExp(
        `armId: ${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d # AcrPull\n$`,
      ),
    );
    assert.match(
      grantText({ scope: MG, roleGuid: role('AcrPull').guid, principalId: 'p', name: 'x' }).aso,
      /armId: \/providers\/Microsoft\.Authorization\/roleDefinitions\/7f951dda/,
    );
  });
});

describe('federation decisions', () => {
  const ISSUER = 'https://oidc.example.test/tenant/cluster/';
  const base = (
    credentials: { name: string; issuer: string; subject: string; audiences: string[] }[],
  ): FederationFacts => ({
    key: 'k',
    cluster: 'clusters/prod',
    clientId: 'c',
    identityLabel: 'ServiceAccount apps/web',
    subject: 'system:serviceaccount:apps:web',
    namespace: 'apps',
    serviceAccountName: 'web',
    audience: 'api://AzureADTokenExchange',
    viaWebhook: false,
    identity: {
      value: {
        id: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-web`,
        name: 'id-web',
        tenantId: 't',
      },
    },
    credentials: { value: credentials },
    aks: {
      value: {
        id: `${RG}/providers/Microsoft.ContainerService/managedClusters/aks`,
        name: 'aks',
        issuerUrl: ISSUER,
        oidcEnabled: true,
        workloadIdentity: true,
        from: '.flux-azure.yaml',
      },
    },
  });
  const good = {
    name: 'web',
    issuer: ISSUER,
    subject: 'system:serviceaccount:apps:web',
    audiences: ['api://AzureADTokenExchange'],
  };

  test('an exact match is ✓ even beside unrelated credentials; a missing trailing slash on the issuer is ✗', () => {
    const other = { ...good, name: 'other', subject: 'system:serviceaccount:apps:api' };
    assert.equal(decideFederation(base([other, good])).state, 'ok');
    assert.equal(decideFederation(base([other, good])).credential, 'web');
    const noSlash = decideFederation(base([{ ...good, issuer: ISSUER.replace(/\/$/, '') }]));
    assert.equal(noSlash.state, 'missing');
    assert.deepEqual(
      noSlash.differences?.map((d) => [d.part, d.caseOnly ?? false]),
      [['issuer', false]],
    );
    assert.equal(noSlash.fix?.issuer, ISSUER);
  });

  test('credentials for other subjects only: ✗ listing them, and the fix names the right subject', () => {
    const v = decideFederation(
      base([{ ...good, name: 'a', subject: 'system:serviceaccount:other:x', issuer: 'https://elsewhere/' }]),
    );
    assert.equal(v.state, 'missing');
    assert.match(v.summary, /No federated credential of id-web names system:serviceaccount:apps:web with issuer/);
    assert.deepEqual(v.fix, {
      identityId: v.identityId,
      name: 'web-prod',
      issuer: ISSUER,
      subject: 'system:serviceaccount:apps:web',
      namespace: 'apps',
    });
  });

  test('the issuer unknown: ✗ when no credential names the subject, ? when one does', () => {
    const facts = { ...base([good]), aks: { value: undefined } };
    assert.equal(decideFederation(facts).state, 'unknown');
    const typo = { ...base([{ ...good, subject: 'system:serviceaccount:apps:wbe' }]), aks: { value: undefined } };
    assert.equal(decideFederation(typo).state, 'missing');
    assert.equal(decideFederation(typo).fix, undefined, 'no fix without the issuer');
  });

  test('an app registration: the fix is az ad app federated-credential create, with a name credentials allow', () => {
    const facts: FederationFacts = {
      ...base([{ ...good, subject: 'system:serviceaccount:apps:wbe' }]),
      cluster: '(no cluster)',
      identity: { value: { id: 'app-object-id', name: 'app-web', tenantId: 't' } },
      application: { appId: 'c' },
    };
    const v = decideFederation(facts);
    assert.equal(v.state, 'missing');
    assert.equal(v.fix, undefined, 'no ASO resource for an application');
    assert.equal(
      v.fixCommand,
      `az ad app federated-credential create --id c --parameters '{"name":"web-no-cluster","issuer":"${ISSUER}","subject":"system:serviceaccount:apps:web","audiences":["api://AzureADTokenExchange"]}'`,
    );
  });

  test('not found: Graph asked says no more; Graph not configured says app registrations were not checked', () => {
    const missing = { ...base([]), identity: { value: undefined, note: 'could not search subscription S' } };
    assert.equal(
      decideFederation({ ...missing, graphAsked: true }).summary,
      "Client id c is neither a user-assigned managed identity in the subscriptions you can read (could not search subscription S) nor an app registration in the tenant's directory (Microsoft Graph).",
    );
    assert.match(
      decideFederation(missing).summary,
      /app registrations are not checked \(no Microsoft Graph endpoint\)\.$/,
    );
  });
});
