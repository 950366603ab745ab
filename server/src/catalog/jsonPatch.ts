/**
 * JSON6902 vocabulary for the flux-system patches: operations, what each path the docs use does, and the
 * ServiceAccount annotation paths (RFC 6901 escaped).
 */
import { JSON6902_PATHS, type Json6902PathId } from './patches';
import { ANNOTATION_CLIENT_ID, ANNOTATION_TENANT_ID, LABEL_USE } from './workloadIdentity';

/** RFC 6902 operations; the Flux docs only use `add` (appending with `/-`). */
export const JSON6902_OPS = [
  {
    op: 'add',
    description:
      'Adds a value; with a path ending in `/-` appends to a list. The Flux docs use it for every controller patch (args, env, volumes, volumeMounts exist on container 0 of every Flux controller).',
  },
  { op: 'replace', description: 'Replaces the value at `path`, which must exist.' },
  { op: 'remove', description: 'Removes the value at `path`.' },
  { op: 'copy', description: 'Copies the value at `from` to `path`.' },
  { op: 'move', description: 'Moves the value at `from` to `path`.' },
  { op: 'test', description: 'Fails the patch unless the value at `path` equals `value`.' },
] as const;

/** What appending at each documented path does to a Flux controller Deployment. */
export const JSON6902_PATH_DOCS: Readonly<Record<Json6902PathId, string>> = {
  args: 'Appends a command-line argument to the `manager` container (container 0): the `ObjectLevelWorkloadIdentity` feature gate or a `--default-*-service-account` lockdown flag.',
  env: 'Appends an environment variable to the `manager` container: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_AUTHORITY_HOST`, `AZURE_FEDERATED_TOKEN_FILE` (non-AKS workload identity) or the `AZURE_CLIENT_CERTIFICATE_*` variables (app certificate).',
  volumeMounts:
    'Appends a volume mount to the `manager` container: the projected Azure workload identity token (`/var/run/service-account`) or the app certificate (`/var/run/app-cert/cert-and-key`).',
  volumes:
    'Appends a pod volume: the projected ServiceAccount token with audience `api://AzureADTokenExchange`, or the certificate Secret.',
};

/** RFC 6901 escaping of one JSON pointer segment (`/` is `~1`, `~` is `~0`). */
export function escapeJsonPointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON6902 paths for the workload-identity annotations on a ServiceAccount and the pod-template label. */
export const JSON6902_ANNOTATION_PATHS = {
  clientId: `/metadata/annotations/${escapeJsonPointer(ANNOTATION_CLIENT_ID)}`,
  tenantId: `/metadata/annotations/${escapeJsonPointer(ANNOTATION_TENANT_ID)}`,
  podLabel: `/spec/template/metadata/labels/${escapeJsonPointer(LABEL_USE)}`,
} as const;

/** The documented path id of a JSON6902 path, or undefined. */
export function json6902PathId(path: string): Json6902PathId | undefined {
  return (Object.keys(JSON6902_PATHS) as Json6902PathId[]).find((id) => JSON6902_PATHS[id] === path.trim());
}
