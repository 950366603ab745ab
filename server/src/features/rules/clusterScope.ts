/**
 * One finding per location: the same document may render in several clusters, and a rule may fire in some of them.
 * Rules collect what they found per cluster and report it once, naming the clusters it holds in.
 */
import type { Cluster } from '../../workspace/workspaceIndex';

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function distinct(clusters: Iterable<Cluster>): Cluster[] {
  return [...new Map([...clusters].map((c) => [c.dir, c])).values()].sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * " in `clusters/prod` and `clusters/staging`" for the clusters a finding holds in, or '' when the document renders
 * in one cluster only (there is nothing to tell apart).
 */
export function inClusters(affected: Iterable<Cluster>, renderedIn: Iterable<Cluster>): string {
  if (distinct(renderedIn).length <= 1) return '';
  return ` in ${joinAnd(distinct(affected).map((c) => `\`${c.label}\``))}`;
}
