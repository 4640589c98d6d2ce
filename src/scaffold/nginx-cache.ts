import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSourceFile } from '../yaml/source-file.js';
import type { ScaffoldService } from './compose-services.js';

/**
 * Where an nginx service keeps its proxy cache, read from the configuration it is given:
 * `.conf` files mounted into it and those in its build context (and one level below). A
 * service whose configuration declares no `proxy_cache_path` has no cache to purge.
 */

/** Bounds on what is read: a scaffold must not crawl a large build context. */
const MAX_FILES = 64;
const MAX_FILE_BYTES = 256 * 1024;

export async function nginxCachePaths(service: ScaffoldService): Promise<string[]> {
  const files = await configFiles(service);
  const paths = new Set<string>();
  for (const file of files) {
    const source = await readSourceFile(file, MAX_FILE_BYTES);
    if (!source.ok) continue;
    for (const match of source.text.matchAll(/^\s*proxy_cache_path\s+("[^"]+"|'[^']+'|[^\s;]+)/gm)) {
      const path = match[1]!.replace(/^["']|["']$/g, '');
      // Only absolute paths without nginx variables name a directory the purge can empty.
      if (path.startsWith('/') && !path.includes('$')) paths.add(path.replace(/\/+$/, '') || '/');
    }
  }
  return [...paths];
}

async function configFiles(service: ScaffoldService): Promise<string[]> {
  const found: string[] = [];
  const sources = service.mounts.filter((mount) => mount.kind === 'bind' && mount.source).map((mount) => mount.source!);
  if (service.buildContext) sources.push(service.buildContext);
  for (const source of sources) {
    if (found.length >= MAX_FILES) break;
    found.push(...(await confFilesIn(source, service.buildContext === source ? 1 : 0)));
  }
  return found.slice(0, MAX_FILES);
}

/** `path` itself when it is a .conf file; the .conf files in it (down to `depth` more levels) when it is a directory. */
async function confFilesIn(path: string, depth: number): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return path.endsWith('.conf') ? [path] : [];
  if (!info?.isDirectory()) return [];
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (files.length >= MAX_FILES) break;
    if (entry.isFile() && entry.name.endsWith('.conf')) files.push(join(path, entry.name));
    else if (entry.isDirectory() && depth > 0 && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
      files.push(...(await confFilesIn(join(path, entry.name), depth - 1)));
    }
  }
  return files;
}
