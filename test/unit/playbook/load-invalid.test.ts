import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue, PlaybookError, type PlaybookIssue } from '../../../src/errors.js';
import { loadPlaybook, validatePlaybooks } from '../../../src/playbook/load.js';

/**
 * Each invalid fixture with every issue it must produce, as `line:column: message (hint)`,
 * in reading order. Positions were checked by hand against the fixture files.
 */

const dir = fileURLToPath(new URL('../../fixtures/playbooks/invalid/', import.meta.url));
const composeFixtures = fileURLToPath(new URL('../../fixtures/playbooks/compose/', import.meta.url));

const expected: Record<string, string[]> = {
  'syntax-error.yaml': [
    '6:8: invalid YAML: the list opened here with "[" is not closed (end it with "]", and indent the lines inside it more than the line it starts on)',
  ],
  'duplicate-key.yaml': ['9:5: duplicate key "name" (first given on line 7; a key may appear once per mapping)'],
  'multiple-documents.yaml': [
    '8:1: a second YAML document starts here; the file must hold exactly one (remove the "---" line, or split the file)',
  ],
  'alias-bomb.yaml': [
    '7:8: the document\'s aliases expand it by 1270413 values, more than the 20000 allowed (this looks like an alias bomb; use fewer "*alias" references)',
  ],
  'empty.yaml': ['1:1: the playbook is empty (a playbook needs at least: name, title, summary, topology, steps)'],
  'not-a-mapping.yaml': ['1:1: expected a mapping, got a list'],
  'unknown-keys.yaml': [
    '4:1: unknown key "descripton" (did you mean "description"?)',
    '13:9: steps[0].wait.probe: unknown key "expcet" (did you mean "expect"?)',
    '15:7: steps[0].wait: unknown key "evry" (did you mean "every"?)',
    '18:5: steps[1]: unknown key "colour" (keys allowed here: name, description, inject, wait, run, manual, notify, pause)',
  ],
  'wrong-type.yaml': [
    '9:33: steps[0].wait.probe.port: expected a number, got "6379" (write the number without quotes)',
    '10:20: steps[0].wait.consecutive: expected a whole number, got 1.5',
    '12:5: steps[1].pause: expected a duration such as "250ms", "30s", "2m" or "1m30s", got nothing',
    '14:3: nextSteps: expected a list, got a mapping',
  ],
  'bad-duration.yaml': [
    '6:12: timeLimit: expected a duration such as "250ms", "30s", "2m" or "1m30s", got 600 (a duration needs a unit: ms, s, m or h)',
    '11:14: steps[0].wait.every: expected a duration such as "250ms", "30s", "2m" or "1m30s", got "5 seconds"',
    '12:16: steps[0].wait.timeout: expected a duration such as "250ms", "30s", "2m" or "1m30s", got "2d"',
    '14:12: steps[1].pause: must be between 0ms and 60m',
  ],
  'unknown-kind.yaml': [
    '9:13: steps[0].inject.kind: unknown fault kind "regionloss"; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill" (did you mean "region-loss"?)',
    '13:7: steps[1].wait.probe: missing required field "kind"; the probe kinds are "http", "tcp", "exec", "health" and "host"',
    '17:13: steps[2].run.kind: unknown action kind "reboot"; the action kinds are "exec", "host", "start", "restart" and "revert"',
  ],
  'two-actions.yaml': [
    '7:5: steps[0]: a step takes exactly one of inject, wait, run, manual, notify, pause; this one has inject and pause',
    '10:5: steps[1]: a step needs exactly one of: inject, wait, run, manual, notify, pause',
  ],
  'missing-required.yaml': [
    '1:1: missing required field "title"',
    '6:5: steps[0]: missing required field "name"',
    '8:5: steps[1].wait: missing required field "probe"',
    '11:5: steps[2].inject: missing required field "service"',
  ],
  'bad-references.yaml': [
    '8:33: steps[0].run.fault: fault "db-down" is injected later, by steps[1] ("kill the database") (a step can only refer to a fault injected before it)',
    '14:13: steps[2].wait.from: no earlier step injects a fault with id "db-dwn" (did you mean "db-down"?)',
    '16:34: steps[3].inject.id: fault id "db-down" is already used by steps[1] ("kill the database") (fault ids must be unique)',
  ],
  'reserved-fault-id.yaml': [
    '10:34: steps[1].inject.id: fault id "step-1" is reserved: a fault without an id is called "step-<n>" after its step (choose another id)',
    '12:33: steps[2].run.fault: no earlier step injects a fault with id "step-1" (give an earlier inject step an "id" and use it here)',
  ],
  'unknown-targets.yaml': [
    '7:18: topology.regions.backup[1]: service "db-replica" is not defined in the compose file (its services are "web-eu", "cache-eu", "web-us" and "db")',
    '10:30: steadyState.probes[0].service: service "web-euu" is not defined in the compose file (did you mean "web-eu"?)',
    '13:42: steps[0].inject.region: region "europe" is unknown: no service has the label firedrill.region=europe and topology.regions does not list it (known regions are "eu", "us" and "backup")',
    '15:42: steps[1].inject.region: region "mars" is unknown: no service has the label firedrill.region=mars and topology.regions does not list it (known regions are "eu", "us" and "backup")',
    '17:36: steps[2].run.service: service "cache" is not defined in the compose file (did you mean "cache-eu"?)',
  ],
  'missing-compose.yaml': [
    `5:16: topology.composeFile: compose file "../compose/missing/docker-compose.yml" does not exist (check the path; resolved to ${composeFixtures}missing/docker-compose.yml)`,
  ],
  // Every layer in one pass: a repeated key does not hide the schema, and schema issues do not
  // hide the references of the parts that parsed (steps[1] has a wrong cache AND an unknown service).
  'many-mistakes.yaml': [
    '3:7: name: use letters, digits, "-", "_" or "." (at most 63 characters)',
    '6:1: duplicate key "title" (first given on line 4; a key may appear once per mapping)',
    '7:1: unknown key "descripton" (did you mean "description"?)',
    '8:12: timeLimit: expected a duration such as "250ms", "30s", "2m" or "1m30s", got "10 minutes"',
    '14:30: steadyState.probes[0].service: service "api-server" is not defined in the compose file (its services are "edge-proxy", "api", "redis-primary", "redis-replica", "memcached-a" and "memcached-b")',
    '18:19: stopConditions[0].maxErrorRate: maxErrorRate needs a window: the span of recent samples the rate is taken over, e.g. window: 30s',
    '21:57: steps[0].inject.region: region "westeurope" is unknown: no service has the label acme.zone=westeurope and topology.regions does not list it (known regions are "west" and "east")',
    '23:38: steps[1].inject.id: fault id "west-down" is already used by steps[0] ("lose the west zone") (fault ids must be unique)',
    '23:58: steps[1].inject.service: service "memcache-a" is not defined in the compose file (did you mean "memcached-a"?)',
    '23:77: steps[1].inject.cache: expected one of "redis", "nginx" or "command", got "memcached"',
    '25:21: steps[2].inject.kind: unknown fault kind "regionloss"; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill" (did you mean "region-loss"?)',
    '28:105: steps[3].wait.probe.expect.outputMatches: not a valid regular expression: unterminated group',
    '29:13: steps[3].wait.from: no earlier step injects a fault with id "west-dwn" (did you mean "west-down"?)',
    '30:20: steps[3].wait.consecutive: expected a number, got "3" (write the number without quotes)',
    '31:5: steps[4]: a step takes exactly one of inject, wait, run, manual, notify, pause; this one has wait and pause',
    '33:7: steps[4].wait.probe: missing required field "port"',
    '36:33: steps[5].run.fault: fault "late-fault" is injected later, by steps[6] ("late fault") (a step can only refer to a fault injected before it)',
    '38:73: steps[6].inject.mode: expected one of "kill", "stop", "pause" or "restart", got "kil" (did you mean "kill"?)',
    '41:13: restore[0].inject: a restore step cannot inject a fault: restore runs after the rollback, so nothing would revert it (inject faults in steps)',
  ],
  // Text from the file is echoed escaped: each message one line, nothing raw for the terminal.
  'control-characters.yaml': [
    '6:39: topology.regions: key "eu\\nwest\\x1b[8m": use letters, digits, "-", "_" or "." (at most 63 characters)',
    '7:1: unknown key "bad\\nkey\\x1b[31mRED" (keys allowed here: version, name, title, description, summary, nextSteps, topology, objectives, steadyState, stopConditions, steps, restore, rollback, timeLimit, report)',
    '8:1: unknown key "\\x1b]8;;http://x\\x07link" (keys allowed here: version, name, title, description, summary, nextSteps, topology, objectives, steadyState, stopConditions, steps, restore, rollback, timeLimit, report)',
    '11:58: steps[0].inject.mode: expected one of "kill", "stop", "pause" or "restart", got "ki\\nll" (did you mean "kill"?)',
    '13:34: steps[1].inject.id: fault id "dup" is already used by steps[0] ("kill\\nthe db\\x1b[2J") (fault ids must be unique)',
    '16:83: steps[2].wait.probe.expect.outputMatches: not a valid regular expression: unterminated group',
    '18:21: steps[3].inject.kind: unknown fault kind "region\\x1b[0m\\nloss"; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill" (did you mean "region-loss"?)',
    '20:33: steps[4].run.fault: use letters, digits, "-", "_" or "." (at most 63 characters)',
    '22:18: steps[5].run.kind: expected an action kind, got 5; the action kinds are "exec", "host", "start", "restart" and "revert"',
  ],
  'several-problems.yaml': [
    '1:7: name: use letters, digits, "-", "_" or "." (at most 63 characters)',
    '2:8: title: must not be empty',
    '5:12: topology.project: compose project names use lowercase letters, digits, "-" and "_"',
    '6:3: topology: unknown key "regoins" (did you mean "regions"?)',
    '7:11: rollback: expected one of "always" or "never", got "sometimes"',
    '10:49: steps[0].inject.mode: expected one of "kill", "stop", "pause" or "restart", got "kil" (did you mean "kill"?)',
    '13:33: steps[1].wait.probe.port: must be at most 65535, got 70000',
    '14:14: steps[1].wait.every: expected a duration such as "250ms", "30s", "2m" or "1m30s", got 10 (a duration needs a unit: ms, s, m or h)',
  ],
};

/** Issues without the leading "file:" so the table stays readable. */
function withoutFile(issues: PlaybookIssue[]): string[] {
  return issues.map((issue) => formatIssue(issue).slice(issue.file.length + 1));
}

describe('invalid playbooks', () => {
  for (const [name, lines] of Object.entries(expected)) {
    it(`${name}: every issue at its line:column`, async () => {
      const file = `${dir}${name}`;
      const error = await loadPlaybook(file).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(PlaybookError);
      const issues = (error as PlaybookError).issues;
      expect(issues.every((issue) => issue.file === file)).toBe(true);
      expect(withoutFile(issues)).toEqual(lines);
    });
  }

  it('validatePlaybooks reports the same issues as loadPlaybook, per file and in order', async () => {
    const names = ['unknown-keys.yaml', 'two-actions.yaml'];
    const results = await validatePlaybooks(names.map((name) => `${dir}${name}`));
    expect(results.map((result) => withoutFile(result.issues))).toEqual(names.map((name) => expected[name]));
  });
});
