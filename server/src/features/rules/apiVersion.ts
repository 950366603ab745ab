import { compareVersions, inRange, OLDEST_FLUX_VERSION, servedApiVersions } from '../../catalog';
import { fluxKindOf, isFluxDoc } from './helpers';
import type { Rule } from './rule';

/**
 * apiVersions the repository's Flux no longer serves (an error at apply time) or has deprecated. A release older than
 * the catalog's oldest is not judged: which versions it served (0.13 had no v1) is not known here.
 */
export const apiVersion: Rule = {
  name: 'api-version',
  applies: (doc) => isFluxDoc(doc),
  check: ({ doc, fluxVersion }) => {
    const lookup = fluxKindOf(doc);
    const node = doc.scalar(['apiVersion']);
    if (!lookup?.versionDef || !fluxVersion || !node) return [];
    if (compareVersions(fluxVersion, OLDEST_FLUX_VERSION) < 0) return [];
    const served = servedApiVersions(lookup.def, fluxVersion);
    if (!inRange(fluxVersion, lookup.versionDef.served)) {
      const preferred = served[0];
      const range = lookup.versionDef.served;
      const removed = range.until !== undefined && compareVersions(fluxVersion, range.until) >= 0;
      const when = removed ? `was removed in Flux ${range.until}` : `is served only from Flux ${range.since ?? ''}`;
      const migrate = lookup.def.group.startsWith('image') ? ' (run `flux migrate` before upgrading the CRDs)' : '';
      return [
        {
          code: 'flux-azure/api-version-removed',
          span: node,
          message: `${node.text} ${lookup.def.kind} ${when}; this repository runs Flux ${fluxVersion}, where applying this object fails ("no matches for kind"). ${preferred ? `Use ${preferred}${migrate}.` : `Flux ${fluxVersion} serves no version of ${lookup.def.kind}.`}`,
          fixes: preferred
            ? [
                {
                  title: `Use ${preferred}`,
                  edits: { [doc.file.uri]: [{ range: doc.range(node), newText: preferred }] },
                  preferred: true,
                },
              ]
            : [],
        },
      ];
    }
    if (
      lookup.versionDef.deprecated &&
      inRange(fluxVersion, lookup.versionDef.deprecated) &&
      served[0] &&
      served[0] !== node.text
    ) {
      return [
        {
          code: 'flux-azure/api-version-deprecated',
          span: node,
          message: `${node.text} ${lookup.def.kind} is deprecated in Flux ${fluxVersion} and will be removed; use ${served[0]}.`,
          fixes: [
            { title: `Use ${served[0]}`, edits: { [doc.file.uri]: [{ range: doc.range(node), newText: served[0] }] } },
          ],
        },
      ];
    }
    return [];
  },
};
