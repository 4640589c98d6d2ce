import { localPath } from './compose-normalise.js';
import { isRecord } from './compose-records.js';

/**
 * Relative paths in a service made absolute against the directory of the file that wrote
 * them, as compose does before `extends` and `include` bring services from other
 * directories together: the build context, bind-mount sources, `env_file:` entries and
 * `extends.file`.
 */
export function withAbsolutePaths(spec: Record<string, unknown>, dir: string): Record<string, unknown> {
  const resolved: Record<string, unknown> = { ...spec };
  if (typeof spec.build === 'string') resolved.build = contextPath(spec.build, dir);
  else if (isRecord(spec.build))
    resolved.build = { ...spec.build, context: contextPath(typeof spec.build.context === 'string' ? spec.build.context : '.', dir) };
  if (Array.isArray(spec.volumes)) resolved.volumes = spec.volumes.map((entry) => volumePath(entry, dir));
  if (typeof spec.env_file === 'string') resolved.env_file = localPath(spec.env_file, dir);
  else if (Array.isArray(spec.env_file)) resolved.env_file = spec.env_file.map((entry) => envFilePath(entry, dir));
  else if (isRecord(spec.env_file)) resolved.env_file = envFilePath(spec.env_file, dir);
  if (isRecord(spec.extends) && typeof spec.extends.file === 'string')
    resolved.extends = { ...spec.extends, file: localPath(spec.extends.file, dir) };
  return resolved;
}

function contextPath(context: string, dir: string): string {
  // A remote context (a git or https URL) is not a path.
  return /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(context) ? context : localPath(context, dir);
}

function volumePath(entry: unknown, dir: string): unknown {
  if (typeof entry === 'string') {
    const colon = entry.indexOf(':');
    const source = colon < 0 ? '' : entry.slice(0, colon);
    return /^[.~]/.test(source) ? `${localPath(source, dir)}${entry.slice(colon)}` : entry;
  }
  if (isRecord(entry) && entry.type === 'bind' && typeof entry.source === 'string' && entry.source !== '')
    return { ...entry, source: localPath(entry.source, dir) };
  return entry;
}

function envFilePath(entry: unknown, dir: string): unknown {
  if (typeof entry === 'string') return localPath(entry, dir);
  if (isRecord(entry) && typeof entry.path === 'string') return { ...entry, path: localPath(entry.path, dir) };
  return entry;
}
