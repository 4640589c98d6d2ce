import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The import graph of a source tree, read as text: static imports and re-exports, bare
 * `import '…'` and `import('…')` with a literal. Type-only imports count too: a type that runs
 * back up the layers ties the layers as surely as a value.
 */
export interface ImportEdge {
  from: string;
  /** A file of the tree (relative to its root), or a package name. */
  to: string;
  kind: 'file' | 'package';
}

const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

export function readImportGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const files = listSources(root);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(SPECIFIERS)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) {
        const target = resolveSource(root, file, specifier);
        if (target) edges.push({ from: file, to: target, kind: 'file' });
      } else if (!specifier.startsWith('node:')) {
        edges.push({ from: file, to: packageName(specifier), kind: 'package' });
      }
    }
  }
  return { files, edges };
}

/** Every cycle among the files, each as the files it runs through (one per strongly connected set). */
export function fileCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) if (e.kind === 'file') next.get(e.from)?.push(e.to);
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

function listSources(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSources(root, path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(relative(root, path).split(sep).join('/'));
  }
  return found.sort();
}

function resolveSource(root: string, file: string, specifier: string): string | null {
  const absolute = resolve(root, dirname(file), specifier);
  for (const candidate of [
    absolute,
    absolute.replace(/\.js$/, '.ts'),
    absolute.replace(/\.mjs$/, '.mts'),
    `${absolute}.ts`,
    join(absolute, 'index.ts'),
  ]) {
    if (existsSync(candidate) && !candidate.endsWith(sep) && readdirSafe(candidate)) return relative(root, candidate).split(sep).join('/');
  }
  return null;
}

/** True for a file (not a folder). */
function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return false;
  } catch {
    return true;
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
