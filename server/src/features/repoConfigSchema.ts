/**
 * The JSON schema of `.flux-azure.yaml`, generated from the catalog (install modes, keys, the AKS cluster id shape)
 * into `schemas/flux-azure.schema.json` by scripts/gen-contributions.mjs; package.json registers it for YAML.
 */
import {
  AKS_CLUSTER_ID_REGEX,
  INSTALL_MODES,
  REPO_CONFIG_CLUSTER_KEYS,
  REPO_CONFIG_FILE,
  REPO_CONFIG_TOP_KEYS,
} from '../catalog';

const CLUSTER_KEY_SCHEMAS: Record<(typeof REPO_CONFIG_CLUSTER_KEYS)[number], Record<string, unknown>> = {
  path: {
    type: 'string',
    description: 'The cluster directory, relative to the repository root (e.g. clusters/production).',
  },
  install: {
    type: 'string',
    description: 'How Flux is installed on this cluster.',
    enum: INSTALL_MODES.map((m) => m.mode),
    markdownEnumDescriptions: INSTALL_MODES.map((m) => `${m.title}. ${m.configure}`),
  },
  fluxVersion: {
    type: 'string',
    description: 'The Flux version the cluster runs (e.g. 2.7 or v2.7.5); overrides what the repository shows.',
    pattern: '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$',
  },
  aksClusterId: {
    type: 'string',
    description:
      'Resource id of the AKS cluster (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>).',
    pattern: AKS_CLUSTER_ID_REGEX.source,
  },
};

function repoConfigSchema(): Record<string, unknown> {
  const [clusters] = REPO_CONFIG_TOP_KEYS;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Flux for Azure repository configuration (${REPO_CONFIG_FILE})`,
    description:
      'Says, per cluster directory, what the repository cannot show: how Flux is installed, its version and which AKS cluster it is. Read by the Flux for Azure language server and the flux-azure-check CLI.',
    type: 'object',
    additionalProperties: false,
    properties: {
      [clusters]: {
        type: 'array',
        description: 'One entry per cluster directory.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['path'],
          properties: CLUSTER_KEY_SCHEMAS,
        },
      },
    },
  };
}

/** The text of `schemas/flux-azure.schema.json`. */
export function repoConfigSchemaText(): string {
  return `${JSON.stringify(repoConfigSchema(), null, 2)}\n`;
}
