import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance, listNames } from '../../../src/playbook/did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('steps', 'steps')).toBe(0);
    expect(editDistance('stpes', 'steps')).toBe(1);
    expect(editDistance('evry', 'every')).toBe(1);
    expect(editDistance('kil', 'kill')).toBe(1);
    expect(editDistance('regionloss', 'region-loss')).toBe(1);
    expect(editDistance('colour', 'color')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closestMatch', () => {
  const keys = ['name', 'description', 'inject', 'wait', 'run', 'manual', 'pause'];

  it('picks the nearest candidate within the typo tolerance', () => {
    expect(closestMatch('descripton', keys)).toBe('description');
    expect(closestMatch('wiat', keys)).toBe('wait');
    expect(closestMatch('Pause', keys)).toBe('pause');
  });

  it('answers nothing when no candidate is plausibly meant', () => {
    expect(closestMatch('colour', keys)).toBeUndefined();
    expect(closestMatch('x', ['yz'])).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });

  it('takes the one candidate that extends the input, but not when several do', () => {
    expect(closestMatch('cache', ['web-eu', 'cache-eu', 'db'])).toBe('cache-eu');
    expect(closestMatch('cache', ['cache-eu', 'cache-us'])).toBeUndefined();
    expect(closestMatch('db', ['db-primary'])).toBeUndefined();
  });

  it('does not suggest the input itself', () => {
    expect(closestMatch('wait', ['wait'])).toBeUndefined();
  });
});

describe('wording', () => {
  it('phrases a hint and lists names', () => {
    expect(didYouMean('stpes', ['steps'])).toBe('did you mean "steps"?');
    expect(didYouMean('zzz', ['steps'])).toBeUndefined();
    expect(listNames([])).toBe('none');
    expect(listNames(['a'])).toBe('"a"');
    expect(listNames(['a', 'b', 'c'])).toBe('"a", "b" and "c"');
    expect(listNames(['a', 'b'], 'or')).toBe('"a" or "b"');
  });
});
