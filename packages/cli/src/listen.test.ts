import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseListen } from './listen.js';

describe('--listen [host]:port', () => {
  it.each([
    ['127.0.0.1:9101', { host: '127.0.0.1', port: 9101 }],
    [':9200', { port: 9200 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:9101', { host: '::1', port: 9101 }],
    ['exporter.local:80', { host: 'exporter.local', port: 80 }],
  ])('reads %s', (value, expected) => {
    expect(parseListen(value)).toEqual(expected);
  });

  it.each(['9101', '127.0.0.1', ':70000', 'host:port', '::1:9101', ''])('rejects %j', (value) => {
    expect(() => parseListen(value)).toThrow(InvalidArgumentError);
  });
});
