/**
 * Azure DevOps readiness: with an Azure DevOps token of the same sign-in, is the identity's service principal a
 * member of the organization, and of the project group its integration needs (directly or through other groups)?
 * Per organization: one list of its service principals and one of its groups (both paged with continuation
 * tokens), then one membership read per service principal and per group above it.
 */
import type { AzureIntegration } from '../../shared/src/protocol';
import type { LoadContext } from './access';
import { describeError, isAbort } from './errors';
import { mapLimit } from './limit';
import type { DevOpsFacts, Lookup } from './readiness';

/** api-version of the Azure DevOps graph API (its routes exist only as previews). */
const GRAPH_API_VERSION = '7.1-preview.1';
/** How many groups above a member are followed (Azure DevOps nests groups a few levels at most). */
const MAX_GROUP_DEPTH = 5;

/** `GraphServicePrincipal`, as much as the check reads. */
interface ServicePrincipalJson {
  descriptor?: string;
  displayName?: string;
  /** The application (client) id. */
  applicationId?: string;
  /** The Entra object id. */
  originId?: string;
}

/** `GraphGroup`, as much as the check reads: `principalName` is `[project]\group`. */
interface GroupJson {
  descriptor?: string;
  principalName?: string;
  displayName?: string;
}

/** `GraphMembership`. */
interface MembershipJson {
  containerDescriptor?: string;
  memberDescriptor?: string;
}

/** Whether an integration can be checked in Azure DevOps: an organization, a project, a client id. */
export function devOpsCheckable(i: AzureIntegration): boolean {
  return i.need.kind === 'adoGroup' && !!i.need.organization && !!i.need.project && !!i.identity?.clientId;
}

interface Organization {
  servicePrincipals: ServicePrincipalJson[];
  /** Group descriptor -> `[project]\group`. */
  groups: Map<string, string>;
}

/**
 * The facts of every checkable Azure DevOps integration, by integration key. `principals` maps client ids to Entra
 * object ids where ARM knew them (a service principal is matched by either).
 */
export async function checkDevOps(
  ctx: LoadContext,
  integrations: readonly AzureIntegration[],
  service: { endpoint: string; scope: string },
  tenantOf: (i: AzureIntegration) => string | undefined,
  principals: (clientId: string) => string | undefined,
  signal: AbortSignal,
): Promise<Map<string, DevOpsFacts>> {
  const out = new Map<string, DevOpsFacts>();
  const checkable = integrations.filter(devOpsCheckable);
  const graph = (tenantId: string | undefined) => ctx.clients(tenantId, service);
  const orgs = new Map<string, Promise<Lookup<Organization>>>();
  const organization = (org: string, tenantId: string | undefined) => {
    const key = `${org.toLowerCase()}|${tenantId ?? ''}`;
    let found = orgs.get(key);
    if (!found) {
      const base = `/${encodeURIComponent(org)}/_apis/graph`;
      found = Promise.all([
        ctx.limiter.run(() =>
          graph(tenantId).listContinued<ServicePrincipalJson>(
            `${base}/serviceprincipals?api-version=${GRAPH_API_VERSION}`,
            signal,
          ),
        ),
        ctx.limiter.run(() =>
          graph(tenantId).listContinued<GroupJson>(`${base}/groups?api-version=${GRAPH_API_VERSION}`, signal),
        ),
      ]).then(
        ([servicePrincipals, groups]): Lookup<Organization> => ({
          value: {
            servicePrincipals,
            groups: new Map(
              groups.filter((g) => g.descriptor).map((g) => [g.descriptor!, g.principalName ?? g.displayName ?? '']),
            ),
          },
        }),
        (err: unknown): Lookup<Organization> => {
          if (isAbort(err)) throw err;
          return { error: describeError(err).message };
        },
      );
      orgs.set(key, found);
    }
    return found;
  };
  const parents = new Map<string, Promise<string[]>>();
  const containersOf = (org: string, tenantId: string | undefined, descriptor: string) => {
    const key = `${org.toLowerCase()}|${descriptor}`;
    let found = parents.get(key);
    if (!found) {
      found = ctx.limiter
        .run(() =>
          graph(tenantId).listContinued<MembershipJson>(
            `/${encodeURIComponent(org)}/_apis/graph/memberships/${encodeURIComponent(descriptor)}?direction=up&api-version=${GRAPH_API_VERSION}`,
            signal,
          ),
        )
        .then((list) => list.map((m) => m.containerDescriptor ?? '').filter(Boolean));
      parents.set(key, found);
    }
    return found;
  };
  /** Every group above `descriptor` (breadth first, bounded), as `[project]\group` names. */
  const groupsAbove = async (
    org: string,
    tenantId: string | undefined,
    descriptor: string,
    names: Map<string, string>,
  ) => {
    const seen = new Set<string>([descriptor]);
    let level = [descriptor];
    for (let depth = 0; depth < MAX_GROUP_DEPTH && level.length; depth++) {
      const next = (await Promise.all(level.map((d) => containersOf(org, tenantId, d)))).flat();
      level = next.filter((d) => !seen.has(d) && (seen.add(d), true));
    }
    seen.delete(descriptor);
    return [...seen].map((d) => names.get(d)).filter((n): n is string => !!n);
  };

  await mapLimit(
    checkable,
    checkable.length || 1,
    async (i) => {
      const need = i.need as Extract<AzureIntegration['need'], { kind: 'adoGroup' }>;
      const org = need.organization!;
      const tenantId = tenantOf(i);
      const found = await organization(org, tenantId);
      if ('error' in found) return void out.set(i.key, { organization: found });
      const clientId = i.identity!.clientId!.toLowerCase();
      const objectId = principals(clientId)?.toLowerCase();
      const sp = found.value.servicePrincipals.find(
        (s) => s.applicationId?.toLowerCase() === clientId || (!!objectId && s.originId?.toLowerCase() === objectId),
      );
      const groupDescriptor = [...found.value.groups].find(
        ([, name]) => name.toLowerCase() === `[${need.project!}]\\${need.group}`.toLowerCase(),
      )?.[0];
      const facts: DevOpsFacts = {
        organization: { value: undefined },
        ...(groupDescriptor ? { groupDescriptor } : {}),
        ...(objectId ? { principalId: objectId } : {}),
      };
      if (!sp?.descriptor) return void out.set(i.key, { ...facts, member: { value: undefined } });
      facts.member = { value: { descriptor: sp.descriptor, displayName: sp.displayName ?? sp.descriptor } };
      try {
        facts.groups = { value: await groupsAbove(org, tenantId, sp.descriptor, found.value.groups) };
      } catch (err) {
        if (isAbort(err)) throw err;
        facts.groups = { error: describeError(err).message };
      }
      out.set(i.key, facts);
    },
    signal,
  );
  return out;
}
