/**
 * The layers of src/, from the top down: the one place they are written down. A folder imports
 * only folders below it (and itself); the files directly in src/ are the floor. The data flows
 * playbook → plan → run → journal → reports; the folders follow it. CONTRIBUTING.md explains
 * each layer; test/unit/architecture/layers.test.ts holds the code to them.
 */
export const LAYERS: readonly { folder: string; holds: string }[] = [
  { folder: 'cli', holds: 'commander wiring, one file per command, the terminal (live view, plain log); chalk lives here' },
  { folder: 'history', holds: 'use cases over many runs: the runs index, comparison, trends, the baseline for the regression gate' },
  { folder: 'scaffold', holds: '`init`: what a compose file suggests, and the starter playbooks written from it' },
  { folder: 'doctor', holds: '`doctor`: whether this machine and its engine can run drills, and what to do about each miss' },
  { folder: 'report', holds: 'pure renderers: journal → model → document → markdown, html, json, junit, console' },
  { folder: 'recovery', holds: '`recover`, leftover helpers, the runs a project left damaged or unfinished' },
  { folder: 'lock', holds: 'the project lock and its holder' },
  { folder: 'sentences', holds: 'one sentence per journal event, with a style argument (terminal, Markdown, plain)' },
  { folder: 'run', holds: 'the runner: phases, steps, rollback ledger, guards, objectives, the regression watch' },
  { folder: 'plan', holds: 'planning: targets pinned, preflight, scope, plan hash and document, step outline' },
  { folder: 'journal', holds: 'the event schema, the hash-chained writer and reader, run directories' },
  { folder: 'playbook', holds: 'the playbook schema (built from the registries below), loading, references' },
  { folder: 'actions', holds: 'recovery actions (one file per kind) and their registry' },
  { folder: 'notify', holds: 'status updates: webhook and file delivery' },
  { folder: 'probes', holds: 'probes (one file per kind), their registry and pure expectations' },
  { folder: 'faults', holds: 'faults (one file per kind), their registry; mechanisms/ holds what kinds are built from' },
  { folder: 'topology', holds: 'compose projects: discovery, the compose CLI, the compose file reader' },
  { folder: 'yaml', holds: 'YAML read with positions and limits, for playbooks and compose files alike' },
  { folder: 'spec', holds: 'the values specs are built from: names, commands, durations, sizes' },
  { folder: 'engine', holds: 'small engine ports and the Docker adapter (the only dockerode importer)' },
  { folder: 'words', holds: 'shared wording: counts, durations, the paint interface, Markdown escaping, echoing input safely' },
];

/** Packages only one layer may import: the seams the layers exist for. */
export const PACKAGE_OWNERS: Readonly<Record<string, string>> = {
  dockerode: 'engine',
  chalk: 'cli',
  listr2: 'cli',
  commander: 'cli',
};
