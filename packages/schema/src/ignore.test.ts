import { describe, expect, it } from 'vitest';
import { compileIgnore } from './ignore.js';

describe('compileIgnore', () => {
  const ignored = compileIgnore(['codevaldcortex/collections/tmp_*', 'users/**/grants/_system']);
  it.each([
    ['codevaldcortex/collections/tmp_1', true],
    ['codevaldcortex/collections/tmp_1/indexes/idx_x', true],
    ['codevaldcortex/collections/agents', false],
    ['codevaldcortex/collections/agents/indexes/tmp_1', false],
    ['users/x/grants/_system', true],
    ['users/x/grants/shop', false],
  ])('%s → %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });
});
