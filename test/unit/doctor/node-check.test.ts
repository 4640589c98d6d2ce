import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module of the bin/ launcher, without types
import { unsupportedNodeMessage } from '../../../bin/node-support.js';
import { isSupportedNode } from '../../../src/doctor/node-check.js';

const launcherRefuses = unsupportedNodeMessage as (version: string) => string | undefined;

describe('firedrill doctor: the Node.js rule', () => {
  it('is the rule bin/ applies before anything is imported', () => {
    const versions = [
      '18.20.4',
      '20.20.2',
      '21.7.3',
      '22.0.0',
      '22.12.9',
      '22.13.0',
      '22.20.1',
      '23.11.0',
      '24.0.0',
      '24.22.3',
      '25.1.0',
      '26.0.0',
    ];
    for (const version of versions) expect(isSupportedNode(version), version).toBe(launcherRefuses(version) === undefined);
  });
});
