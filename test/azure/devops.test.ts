// Azure DevOps readiness with the real SDK pipeline against the stand-in's Azure DevOps graph API: a token for
// Azure DevOps from the same credential, then whether each identity's service principal is in the organization and
// in the project group its integration needs (directly or through another group); ? only when the organization's
// members and groups cannot be read.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { ReadinessModel } from '../../azure/src/model';
import { cloudWithServicesOf, readinessOnce, useStandInWithExamples } from './cloud';

const BOUND = { timeout: 30_000 };
const GRAPH = /^\/contoso\/_apis\/graph\//;

const world = useStandInWithExamples();

function readiness(): Promise<ReadinessModel> {
  return readinessOnce(world.catalog, cloudWithServicesOf(world.standIn));
}

function row(model: ReadinessModel, kind: string, name: string, cluster = 'clusters/production') {
  const i = world.catalog.integrations.find(
    (x) =>
      x.service.id === 'azureDevOps' &&
      x.object.kind === kind &&
      x.object.name === name &&
      x.clusters.includes(cluster),
  );
  assert.ok(i, `${kind} ${name} ${cluster}`);
  return model.results.find((r) => r.key === i.key)!;
}

describe('Azure DevOps organization and project groups', () => {
  test('member of the group, through a group, of another project only, not in the organization', BOUND, async () => {
    const started = world.standIn.requests.length;
    const model = await readiness();
    const made = world.standIn.requests.slice(started).filter((r) => GRAPH.test(r.path));

    const git = row(model, 'GitRepository', 'podinfo-deploy');
    assert.equal(git.state, 'ok', git.summary);
    assert.equal(git.summary, 'id-team-web-git is a member of [fleet]\\Readers in organization contoso');
    // Its ImageUpdateAutomation pushes: Contributors of fleet, not of another project.
    const push = row(model, 'ImageUpdateAutomation', 'podinfo');
    assert.equal(push.state, 'missing');
    assert.equal(
      push.summary,
      'id-team-web-git is not in [fleet]\\Contributors of organization contoso (member of [fleet]\\Readers).',
    );
    assert.equal(
      push.fixCommand,
      'az devops security group membership add --group-id vssgp.fleet-contributors --member-id aadsp.id-team-web-git --org https://dev.azure.com/contoso',
    );
    // Production's source-controller: in Flux Bots, which is in Contributors (enough to read).
    const prod = row(model, 'GitRepository', 'flux-system');
    assert.equal(prod.state, 'ok', prod.summary);
    assert.match(prod.summary, /member of \[fleet\]\\Contributors .*\(which has what Readers has\)$/);
    // On the second page of the organization's service principals.
    assert.equal(row(model, 'GitRepository', 'flux-system', 'clusters/staging').state, 'ok');
    // The notifier was never added to the organization.
    const provider = row(model, 'Provider', 'azure-devops');
    assert.equal(provider.state, 'missing');
    assert.match(
      provider.summary,
      /client id 862a0f52-ff03-4567-99a1-42a25e8802b9\) is not a member of Azure DevOps organization contoso/,
    );
    // An SSH URL names no organization the API can be asked about: decided from the manifest.
    assert.equal(row(model, 'GitRepository', 'platform-policies').state, 'unknown');

    // Azure DevOps tokens, not ARM's; each membership read once.
    assert.ok(
      made.every((r) => r.status === 200),
      JSON.stringify(made),
    );
    const memberships = made.filter((r) => /\/memberships\//.test(r.path)).map((r) => r.path);
    assert.equal(new Set(memberships).size, memberships.length);
  });

  test('? only when the organization cannot be read: why, and what the identity needs', BOUND, async () => {
    world.standIn.fault(/^\/contoso\/_apis\/graph\/serviceprincipals$/, {
      kind: 'status',
      status: 403,
      code: 'AccessCheckException',
      message: 'VS403463: The user does not have permission to read the members of this organization.',
    });
    const model = await readiness();
    const git = row(model, 'GitRepository', 'podinfo-deploy');
    assert.equal(git.state, 'unknown');
    assert.match(
      git.summary,
      /^Cannot read Azure DevOps organization contoso: .*VS403463.*\. The identity must be a member of it and of the 'Readers' group of project fleet\.$/,
    );
    // The ARM rows are not affected.
    const acr = model.results.find(
      (r) => world.catalog.integrations.find((i) => i.key === r.key)?.object.kind === 'OCIRepository',
    );
    assert.ok(acr && acr.state !== 'unknown', acr?.summary);
  });
});
