import { basename } from 'node:path';
import { defaultReportSettings, type CustomerReportSettings, type Redaction } from '../playbook/report-settings.js';
import type { DrillModel } from './model-types.js';
import { escapeRegExp } from '../regexp-text.js';

/**
 * The model as customers may see it: internal details replaced by words that say what was
 * there ("[container id]", "[internal address]"), the playbook's own terms put in place of
 * internal names, and command output left out. Done on the model, before any renderer runs,
 * so no format can show what another hides. Pure: the model given is not changed.
 */
export function redactForCustomer(model: DrillModel): DrillModel {
  const settings = model.playbook?.report?.customer ?? defaultReportSettings().customer;
  const redactText = textRedactor(model, settings);
  const redacted = mapStrings(model, redactText) as DrillModel;
  redacted.endpoint = null;
  // Where the playbook sits on the machine that ran it is internal; its name is enough.
  if (redacted.playbook) redacted.playbook.file = basename(redacted.playbook.file);
  for (const step of [...redacted.steps, ...redacted.restore]) if (step.run) step.run.output = null;
  return redacted;
}

export const REDACTED = {
  containerId: '[container id]',
  address: '[internal address]',
  host: '[internal host]',
  path: '[path]',
  value: '[redacted]',
} as const;

/** Facts that identify the record itself, or are words of ours: never rewritten. */
const KEPT_KEYS = new Set([
  'sha256',
  'planHash',
  'runId',
  'firedrillVersion',
  'startedAt',
  'endedAt',
  'type',
  'report',
  'verdict',
  'status',
  'action',
  'section',
  'cause',
  'rule',
  'state',
  'phase',
  'from',
  'outcome',
  'scope',
]);

type TextRule = (text: string) => string;

function textRedactor(model: DrillModel, settings: CustomerReportSettings): TextRule {
  const on = new Set<Redaction>(settings.redact);
  // Credentials in a URL are never for customers, whatever the playbook asks for.
  const rules: TextRule[] = [(t) => t.replace(/\b([a-z][a-z0-9+.-]*):\/\/[^\s/@]*@/gi, '$1://')];
  const terms = Object.entries(settings.terms).sort(([a], [b]) => b.length - a.length || a.localeCompare(b));
  if (terms.length > 0) rules.push(replaceWords(new Map(terms)));
  if (on.has('environment')) rules.push(environmentRule);
  if (on.has('hostnames')) rules.push(hostnameRule(model), pathRule);
  if (on.has('addresses')) rules.push(addressRule);
  if (on.has('container-ids')) rules.push((t) => t.replace(/\b[0-9a-f]{64}\b|\b[0-9a-f]{12}\b/g, REDACTED.containerId));
  for (const source of settings.hidePatterns) {
    const pattern = new RegExp(source, 'g');
    rules.push((t) => t.replace(pattern, REDACTED.value));
  }
  return (text) => rules.reduce((acc, rule) => rule(acc), text);
}

// A value not already redacted by the rule before.
const VALUE = String.raw`(?!\[redacted\])("[^"]*"|'[^']*'|[^\s)\]}>,;&]+)`;
/** NAME=value as environment variables are named, and any key=value whose key names a secret. */
const ENVIRONMENT = new RegExp(String.raw`\b([A-Z_][A-Z0-9_]*)=${VALUE}`, 'g');
const SECRET = new RegExp(String.raw`\b([\w.-]*(?:pass|secret|token|key|auth|cred|pwd)[\w.-]*)=${VALUE}`, 'gi');

// A lower-case key=value that names no secret is more often prose about labels or options
// (`firedrill.region=a`, `--retries=3`) than a secret, and stays readable.
function environmentRule(text: string): string {
  return text.replace(ENVIRONMENT, `$1=${REDACTED.value}`).replace(SECRET, `$1=${REDACTED.value}`);
}

/** Whole words (or names with dashes and dots) replaced, longest first, in one pass. */
function replaceWords(words: Map<string, string>): TextRule {
  const alternatives = [...words.keys()].map(escapeRegExp).join('|');
  const pattern = new RegExp(`(?<![\\w.-])(?:${alternatives})(?![\\w-]|\\.\\w)`, 'g');
  return (text) => text.replace(pattern, (word) => words.get(word) ?? word);
}

/** Names that read as a machine on a network: dotted, ending in a domain suffix. */
const DOMAIN_NAME =
  /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:internal|local|localdomain|lan|corp|intranet|home|svc|cluster|private|int|example|test|invalid|com|net|org|io|cloud|dev|app)\b/gi;

/**
 * Container names become the service they belong to (a name customers can be told about);
 * a URL's host that is not a service, and any other domain name, is an internal host.
 */
function hostnameRule(model: DrillModel): TextRule {
  const containerToService = new Map<string, string>();
  for (const service of model.topology?.services ?? []) {
    for (const container of service.containers) containerToService.set(container, service.name);
  }
  for (const fault of model.faults) for (const t of fault.targets) containerToService.set(t.name, t.service);
  const services = new Set(model.topology?.services.map((s) => s.name) ?? []);
  const names = containerToService.size > 0 ? replaceWords(containerToService) : (t: string) => t;
  return (text) =>
    names(text)
      .replace(/\b(unix|npipe):\/\/\S+/g, REDACTED.host)
      // A bracketed (IPv6) host is one token; the address rule deals with it.
      .replace(/\b([a-z][a-z0-9+.-]*):\/\/(\[[^\]\s]*\]|[^\s/:?#[\]]+)/gi, (_url, scheme: string, host: string) =>
        services.has(host) || isAddress(host) ? `${scheme}://${host}` : `${scheme}://${REDACTED.host}`,
      )
      .replace(DOMAIN_NAME, (name) => (services.has(name) ? name : REDACTED.host));
}

/** Absolute file system paths (two parts or more; a URL's path follows its host and is kept). */
function pathRule(text: string): string {
  return text.replace(/(?<![\w.:\]/~@-])\/[\w.@-]+(?:\/[\w.@-]+)+\/?/g, REDACTED.path);
}

const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%\w+)?(?![\w:])/gi;

function addressRule(text: string): string {
  return (
    text
      .replace(/\[[0-9a-fA-F:.%\w]*:[0-9a-fA-F:.]*\](?::\d+)?/g, REDACTED.address)
      .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, REDACTED.address)
      // A bare IPv6 address: with "::", or all eight groups (a time like 09:30:00 is neither).
      .replace(IPV6, (candidate) => (candidate.includes('::') || candidate.split(':').length === 8 ? REDACTED.address : candidate))
      .replace(/\blocalhost(?::\d{1,5})?\b/g, REDACTED.address)
  );
}

function isAddress(host: string): boolean {
  return /^(?:\d{1,3}\.){3}\d{1,3}$/.test(host) || host === 'localhost' || host.startsWith('[');
}

/** A deep copy of plain data with every string passed through `rule`, except under KEPT_KEYS. */
function mapStrings(value: unknown, rule: TextRule): unknown {
  if (typeof value === 'string') return rule(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, rule));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = KEPT_KEYS.has(key) ? structuredClone(item) : mapStrings(item, rule);
    return copy;
  }
  return value;
}
