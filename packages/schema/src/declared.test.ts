import { describe, expect, it } from 'vitest';
import { declaredIndexes } from './declared.js';
import { loadProfile } from './load-profile.js';
import { DEFAULT_PROFILE_DIR } from './paths.js';

describe('declaredIndexes', () => {
  it('lists the shipped profile indexes, sorted', async () => {
    const { profile } = await loadProfile(DEFAULT_PROFILE_DIR);
    const indexes = declaredIndexes(profile);
    expect(indexes).toContainEqual({
      database: 'codevaldcortex',
      collection: 'agent_communications',
      index: 'idx_comms_ttl',
    });
    expect(indexes.map((i) => `${i.collection}/${i.index}`)).toEqual(
      [...indexes.map((i) => `${i.collection}/${i.index}`)].sort(),
    );
    expect(indexes).toHaveLength(13);
  });
});
