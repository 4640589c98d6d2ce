import { fileCycles, readImportGraph } from './import-graph.js';
import { LAYERS, PACKAGE_OWNERS } from './layers.js';

/** The ground floor: files directly in src/ (errors, exit codes, the clock, the version). */
const FLOOR = '(src)';

/**
 * Every way a source tree breaks the layers, one sentence each: a folder that imports a folder
 * above it, a folder no layer names, a package imported outside the layer that owns it, and a
 * cycle among files. Empty when the tree holds to them.
 */
export function layerProblems(root: string, layers = LAYERS, owners = PACKAGE_OWNERS): string[] {
  const rank = new Map<string, number>(layers.map((l, i) => [l.folder, i]));
  rank.set(FLOOR, layers.length);
  const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : FLOOR);
  const { files, edges } = readImportGraph(root);
  const problems: string[] = [];
  const unplaced = new Set(files.map(folderOf).filter((f) => !rank.has(f)));
  for (const folder of unplaced) problems.push(`src/${folder}/ is in no layer: place it in test/support/layers.ts`);
  for (const edge of edges) {
    const from = folderOf(edge.from);
    if (edge.kind === 'package') {
      const owner = owners[edge.to];
      if (owner !== undefined && owner !== from) problems.push(`src/${edge.from} imports ${edge.to}, which only src/${owner}/ may import`);
      continue;
    }
    const to = folderOf(edge.to);
    if (from === to || unplaced.has(from) || unplaced.has(to)) continue;
    if (rank.get(to)! < rank.get(from)!) problems.push(`src/${edge.from} imports src/${edge.to}: ${name(from)} is below ${name(to)}`);
  }
  for (const cycle of fileCycles(files, edges)) problems.push(`a cycle of imports: ${cycle.map((f) => `src/${f}`).join(', ')}`);
  return problems;
}

function name(folder: string): string {
  return folder === FLOOR ? 'the floor (files directly in src/)' : `${folder}/`;
}
