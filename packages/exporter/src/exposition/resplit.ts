import { CR, isFloat, LF, SPACE, TAB } from './bytes.js';
import type { SplitBody, Template } from './split.js';

/**
 * `bytes` read as a repeat of `template`: each stretch between two values must be the
 * template's, byte for byte, and each value a float; the page lines are the template's
 * around the new values. Undefined at the first difference.
 */
export function resplit(bytes: Buffer, { source, values, body: template }: Template): SplitBody | undefined {
  const lines = values.length / 2;
  // Only values differ: the page differs from the template's by as many bytes as the body does.
  const size = template.bytes.length + bytes.length - source.length;
  if (size < 0) return undefined;
  const out = Buffer.allocUnsafe(size);
  const lineStarts = new Int32Array(lines + 1);
  const seriesEnds = new Int32Array(lines);
  const page = template.bytes;
  // The template's page is copied in stretches, natively, as long as the values in them keep
  // their length (most do); those values are written over the template's once their stretch is in.
  const pending = new Int32Array(3 * lines);
  let pendingCount = 0;
  let shift = 0;
  let copyFrom = 0;
  const copyUpTo = (pageEnd: number) => {
    page.copy(out, copyFrom + shift, copyFrom, pageEnd);
    for (let p = 0; p < pendingCount; p += 3) {
      let o = pending[p] as number;
      for (let i = pending[p + 1] as number; i < (pending[p + 2] as number); i++)
        out[o++] = bytes[i] as number;
    }
    pendingCount = 0;
  };
  let at = 0;
  let from = 0;
  for (let line = 0; line < lines; line++) {
    const valueStart = values[2 * line] as number;
    const span = valueStart - from;
    if (at + span > bytes.length || bytes.compare(source, from, valueStart, at, at + span) !== 0)
      return undefined;
    at += span;
    let end = at;
    for (let c = bytes[end]; end < bytes.length && c !== LF && c !== CR && c !== SPACE && c !== TAB; ) {
      c = bytes[++end];
    }
    if (end === at || !isFloat(bytes, at, end)) return undefined;
    const pageValue = (template.seriesEnds[line] as number) + 1;
    const pageValueEnd = (template.lineStarts[line + 1] as number) - 1;
    lineStarts[line] = (template.lineStarts[line] as number) + shift;
    seriesEnds[line] = pageValue - 1 + shift;
    if (end - at === pageValueEnd - pageValue) {
      pending[pendingCount++] = pageValue + shift;
      pending[pendingCount++] = at;
      pending[pendingCount++] = end;
    } else {
      copyUpTo(pageValue);
      bytes.copy(out, pageValue + shift, at, end);
      shift += end - at - (pageValueEnd - pageValue);
      copyFrom = pageValueEnd;
    }
    from = values[2 * line + 1] as number;
    at = end;
  }
  if (bytes.length - at !== source.length - from || bytes.compare(source, from, source.length, at) !== 0) {
    return undefined;
  }
  copyUpTo(page.length);
  lineStarts[lines] = page.length + shift;
  return { ...template, bytes: out, lineStarts, seriesEnds };
}
