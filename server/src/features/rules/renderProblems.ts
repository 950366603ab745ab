import { placeOf } from '../../render/views';
import type { RenderProblem } from '../../render/kustomize';
import type { Finding, Rule } from './rule';

/**
 * Where rendering a cluster as kustomize and kustomize-controller do fails (a JSON6902 path that is not there, a
 * variable strict substitution cannot fill) or a patch changes nothing: reported at the line, once, naming every
 * cluster. A patch is said to change nothing only when it changed no object in any build of any cluster that reads
 * its file, and the cluster's rendering has nothing unknown (an object kustomize would see but we cannot).
 */
export const renderProblems: Rule = {
  name: 'render-problems',
  applies: () => true,
  check: ({ doc, index }) => {
    const uri = doc.file.uri;
    const first = doc.position(0).line;
    const last = doc.position(doc.chunk.text.length).line;
    const found = new Map<string, { problem: RenderProblem; clusters: string[] }>();
    let applied: Set<string> | undefined;
    for (const cluster of index.clustersOf(uri)) {
      const rendering = index.renderProblemsOf(cluster);
      for (const problem of rendering.problems) {
        const { at } = problem;
        if (at.uri !== uri || at.range.start.line < first || at.range.start.line > last) continue;
        if (problem.kind === 'no-effect') {
          if (rendering.hasUnknowns) continue;
          applied ??= changedAnything(index, uri);
          if (applied.has(where(at))) continue;
        }
        const key = `${where(at)}|${problem.message}`;
        const entry = found.get(key) ?? { problem, clusters: [] };
        if (!entry.clusters.includes(cluster.label)) entry.clusters.push(cluster.label);
        found.set(key, entry);
      }
    }
    const findings: Finding[] = [];
    for (const { problem, clusters } of found.values()) {
      const start = doc.chunkOffset(problem.at.range.start);
      const end = doc.chunkOffset(problem.at.range.end);
      const on = `in ${clusters.map((c) => `\`${c}\``).join(', ')}`;
      findings.push({
        code: problem.kind === 'failed' ? 'flux-azure/render-failed' : 'flux-azure/patch-matches-nothing',
        span: { start, end: Math.max(start, Math.min(end, doc.chunk.text.length)) },
        message:
          problem.kind === 'failed'
            ? `${capitalised(problem.message)} (${on}).`
            : `This patch changes nothing ${on}: ${problem.message}. The settings it carries are not applied.`,
      });
    }
    return findings;
  },
};

const where = placeOf;

/** The places in `uri` that changed an object in some rendering of a cluster that reads the file. */
function changedAnything(index: Parameters<Rule['check']>[0]['index'], uri: string): Set<string> {
  const out = new Set<string>();
  const prefix = `${uri}:`;
  for (const cluster of index.clustersOf(uri))
    for (const place of index.renderProblemsOf(cluster).changedAt) if (place.startsWith(prefix)) out.add(place);
  return out;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
