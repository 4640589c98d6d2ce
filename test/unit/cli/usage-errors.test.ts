import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { captureIo } from '../history/support/capture-io.js';

/** Command-line mistakes are refused with the usage exit code and a sentence that says what to write. */

async function firedrill(args: string[]): Promise<{ code: number; err: string }> {
  const captured = captureIo();
  const code = await main(args, captured.io);
  return { code, err: captured.stderr() };
}

describe('--max-regression', () => {
  it('takes a percentage only in decimal digits', async () => {
    for (const given of ['0x10', '1e3', 'Infinity', '-5', '', ' ', '20%%', '0b11', '1_000']) {
      const { code, err } = await firedrill(['run', 'no-such-playbook.yaml', '--max-regression', given]);
      expect(code, given).toBe(ExitCode.Usage);
      expect(err, given).toContain(
        `argument '${given}' is invalid. give a percentage of 0 or more, e.g. 20 or 20%. Only decimal digits are read (12.5 is one; 0x10 and 1e3 are not).`,
      );
    }
  });

  it('accepts 20, 12.5 and 20%: the run goes on to read its playbook', async () => {
    for (const given of ['20', '12.5', '20%', '0']) {
      const { code, err } = await firedrill(['run', 'no-such-playbook.yaml', '--max-regression', given]);
      expect(code, given).toBe(ExitCode.Usage);
      expect(err, given).toContain('no-such-playbook.yaml:1:1: the playbook file does not exist');
    }
  });
});

describe('report --json', () => {
  it('is refused without --compare instead of being ignored, and says what to use', async () => {
    const { code, err } = await firedrill(['report', 'no-such-run', '--json']);
    expect(code).toBe(ExitCode.Usage);
    expect(err).toBe(
      'firedrill: --json only applies with --compare (it prints the comparison as JSON); for the JSON report, use --format json, which writes report.json into the run directory\n',
    );
  });
});
