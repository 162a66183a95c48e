import { InputError } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { assertScratchDatabaseName } from './scratch.js';

describe('assertScratchDatabaseName', () => {
  it('accepts arangops_verify_* names only', () => {
    expect(() => assertScratchDatabaseName('arangops_verify_20260101-0200')).not.toThrow();
    for (const bad of [
      'codevaldcortex',
      '_system',
      'arangops_verify_',
      'arangops_verify_../x',
      'xarangops_verify_1',
    ]) {
      expect(() => assertScratchDatabaseName(bad)).toThrow(InputError);
    }
    expect(() => assertScratchDatabaseName('codevaldcortex')).toThrow(
      'database: refusing to create or drop database "codevaldcortex": verification may only use databases named arangops_verify_<id>',
    );
  });
});
