import { describe, expect, it } from 'vitest';
import { ContentDigest, documentHash } from './digest.js';
import { canonicalJson, type LosslessDocument, parseLossless, stringifyLossless } from './lossless.js';

const doc = (text: string) => parseLossless(text) as LosslessDocument;

describe('content digest', () => {
  it('does not depend on document order, key order, _id or _rev', () => {
    const a = new ContentDigest();
    a.add(doc('{"_key":"1","_id":"c/1","_rev":"_a","x":{"b":1,"a":[2,3]}}'));
    a.add(doc('{"_key":"2","y":"z"}'));
    const b = new ContentDigest();
    b.add(doc('{"y":"z","_key":"2","_rev":"_other"}'));
    b.add(doc('{"x":{"a":[2,3],"b":1},"_key":"1","_id":"restored/1"}'));
    expect(b.hex()).toBe(a.hex());
    expect(b.count).toBe(2);
  });

  it('changes with a changed, missing or extra document', () => {
    const base = new ContentDigest();
    base.add(doc('{"_key":"1","v":1}'));
    const changed = new ContentDigest();
    changed.add(doc('{"_key":"1","v":2}'));
    const extra = new ContentDigest();
    extra.add(doc('{"_key":"1","v":1}'));
    extra.add(doc('{"_key":"2","v":1}'));
    expect(new Set([base.hex(), changed.hex(), extra.hex(), new ContentDigest().hex()]).size).toBe(4);
  });

  it('keeps integers beyond 2^53 exactly (JSON.parse would make these two equal)', () => {
    const big = '{"_key":"1","n":18446744073709551615}';
    const near = '{"_key":"1","n":18446744073709551614}';
    expect(JSON.parse(big).n).toBe(JSON.parse(near).n);
    expect(documentHash(doc(big))).not.toBe(documentHash(doc(near)));
    expect(canonicalJson(doc(big))).toBe('{"_key":"1","n":18446744073709551615}');
    expect(stringifyLossless(doc('{"b":9007199254740993.0,"a":"\\u00e9"}'))).toBe(
      '{"b":9007199254740993.0,"a":"é"}',
    );
  });

  it('sorts keys at every level, arrays kept in order', () => {
    expect(canonicalJson(doc('{"b":{"d":1,"c":[{"f":1,"e":2}]},"a":true,"n":null}'))).toBe(
      '{"a":true,"b":{"c":[{"e":2,"f":1}],"d":1},"n":null}',
    );
  });
});
