import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc, IdSource } from './ids.js';

describe('revisions', () => {
  it('encodes the HLC like real servers and stays strictly increasing under a frozen clock', () => {
    // A real 3.12.10 revision (RestDocumentHandlerPostCreate1) decodes to August 2026.
    const real = decodeHlc('_l6zhVDW---') as bigint;
    expect(new Date(Number(real >> 20n)).toISOString()).toBe('2026-08-04T15:27:48.822Z');
    const ids = new IdSource(() => Number(real >> 20n));
    const revs = [ids.rev(), ids.rev(), ids.rev()];
    expect(revs[0]).toBe('_l6zhVDW---');
    expect(revs).toEqual(['_l6zhVDW---', '_l6zhVDW--_', '_l6zhVDW--A']);
    expect(encodeHlc(decodeHlc(revs[2] as string) as bigint)).toBe(revs[2]);
    expect(ids.indexName()).toMatch(/^idx_\d{19}$/);
  });
});
