import { describe, expect, it } from 'vitest';
import { byteSize, formatBytes, parseByteSize } from '../../../src/spec/byte-size.js';

describe('byte sizes', () => {
  it('reads units as powers of 1024, in any case, with or without "b" or "ib"', () => {
    expect(parseByteSize('64m')).toBe(64 * 1024 ** 2);
    expect(parseByteSize('64M')).toBe(64 * 1024 ** 2);
    expect(parseByteSize('64MiB')).toBe(64 * 1024 ** 2);
    expect(parseByteSize('64mb')).toBe(64 * 1024 ** 2);
    expect(parseByteSize('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('512k')).toBe(512 * 1024);
    expect(parseByteSize('100b')).toBe(100);
    expect(parseByteSize('2t')).toBe(2 * 1024 ** 4);
  });

  it('refuses a size without unit, an unknown unit, a negative or empty one', () => {
    for (const text of ['64', '64x', '-1m', '', 'm', '1.m', '64 m']) expect(parseByteSize(text)).toBeUndefined();
  });

  it('formats for people with the largest whole unit', () => {
    expect(formatBytes(64 * 1024 ** 2)).toBe('64 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(3000 * 1024)).toBe('2.93 MiB');
    expect(formatBytes(900)).toBe('900 bytes');
  });

  it('as a schema: bytes out, bounds in words', () => {
    const schema = byteSize({ min: 1024 ** 2, max: 1024 ** 3 });
    expect(schema.parse('10m')).toBe(10 * 1024 ** 2);
    expect(schema.safeParse('2g').error?.issues[0]?.message).toBe('must be between 1 MiB and 1 GiB');
    expect(schema.safeParse('ten').error?.issues[0]?.message).toBe('expected a size such as "64m", "512k", "1.5g" (powers of 1024)');
  });
});
