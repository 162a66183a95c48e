/** ArangoDB's AQL error identities and message texts, in one place. */
import { ARANGODB_FUNCTION_NAMES } from './functions/arangodb-function-names.js';
import { SimError } from './host.js';

export const ERR = {
  resourceLimit: 32,
  badParameter: 10,
  documentKeyMissing: 1226,
  documentTypeInvalid: 1227,
  dataSourceNotFound: 1203,
  parse: 1501,
  emptyQuery: 1502,
  numberOutOfRange: 1504,
  variableRedeclared: 1511,
  unknownVariable: 1512,
  bindParamMissing: 1551,
  bindParamUndeclared: 1552,
  bindParamType: 1553,
  divisionByZero: 1562,
  arrayExpected: 1563,
  functionUnknown: 1540,
  functionArgCount: 1541,
  functionArgType: 1542,
  invalidRegex: 1543,
  forcedIndexHintUnusable: 1577,
  accessAfterModification: 1579,
  invalidAggregate: 1574,
  collectionInExpression: 1568,
  graphNotFound: 1924,
} as const;

/** ArangoDB quotes at most this many characters of the remaining query after a syntax error. */
const SNIPPET_LENGTH = 32;

/** The `near '…'` region: the query from the offending position, cut like QueryString::extractRegion. */
export function nearSnippet(query: string, offset: number): string {
  const rest = [...query.slice(offset)];
  return rest.length > SNIPPET_LENGTH ? `${rest.slice(0, SNIPPET_LENGTH).join('')}...` : rest.join('');
}

/** ArangoDB's registerParseError: the message, then where in the query it happened. */
export function parseErrorAt(
  errorNum: number,
  message: string,
  query: string,
  at: { offset: number; line: number; column: number },
): SimError {
  return new SimError(
    400,
    errorNum,
    `${message} near '${nearSnippet(query, at.offset)}' at position ${at.line}:${at.column + 1}`,
  );
}

export function syntaxError(
  query: string,
  what: string,
  offset: number,
  line: number,
  column: number,
): SimError {
  return parseErrorAt(ERR.parse, `syntax error, ${what}`, query, { offset, line, column });
}

export function emptyQuery(): SimError {
  return new SimError(400, ERR.emptyQuery, 'query is empty');
}

export function collectionNotFound(name: string): SimError {
  return new SimError(404, ERR.dataSourceNotFound, `collection or view not found: ${name}`);
}

/**
 * A call to a function the simulator lacks. ArangoDB's own 1540 only for names ArangoDB rejects too;
 * a real function the simulator does not implement fails like the other unsupported constructs.
 * The caller has no token to point at, so unlike those there is no `near '…'` part.
 */
export function unknownFunction(name: string): SimError {
  if (ARANGODB_FUNCTION_NAMES.has(name)) {
    return new SimError(400, ERR.parse, `syntax error, ${unsupportedText(`function ${name}()`)}`);
  }
  return new SimError(400, ERR.functionUnknown, `usage of unknown function '${name}()'`);
}

export function argCountMismatch(name: string, min: number, max: number): SimError {
  return new SimError(
    400,
    ERR.functionArgCount,
    `invalid number of arguments for function '${name}()', expected number of arguments: minimum: ${min}, maximum: ${max}`,
  );
}

export function bindParamMissing(name: string): SimError {
  return new SimError(400, ERR.bindParamMissing, `no value specified for declared bind parameter '${name}'`);
}

export function bindParamUndeclared(name: string): SimError {
  return new SimError(400, ERR.bindParamUndeclared, `bind parameter '${name}' was not declared in the query`);
}

export function bindParamType(name: string): SimError {
  return new SimError(400, ERR.bindParamType, `bind parameter '${name}' has an invalid value or type`);
}

export function collectionInExpression(name: string): SimError {
  return new SimError(400, ERR.collectionInExpression, `collection '${name}' used as expression operand`);
}

export function invalidDocumentType(): SimError {
  return new SimError(400, ERR.documentTypeInvalid, 'invalid document type');
}

export function memoryLimitExceeded(): SimError {
  return new SimError(500, ERR.resourceLimit, 'query would use more memory than allowed');
}

export function accessAfterModification(collection: string): SimError {
  return new SimError(
    400,
    ERR.accessAfterModification,
    `access after data-modification by collection '${collection}'`,
  );
}

export function unsupported(construct: string, query: string, offset: number, line: number, column: number) {
  return syntaxError(query, unsupportedText(construct), offset, line, column);
}

function unsupportedText(construct: string): string {
  return `${construct} is not supported by arangodb-sim`;
}

/**
 * How an error surfaces through a cursor or explain request: ArangoDB prefixes the phase.
 * 3.12 names the plan nodes the error travelled through during execution; 3.11 does not.
 */
export function wrapPhase(
  err: unknown,
  phase: 'parsing' | 'optimizing ast' | 'executing',
  version: string,
  nodes: { id: number; type: string }[] = [],
): unknown {
  if (!(err instanceof SimError) || wrapped.has(err)) return err;
  const bare = [ERR.bindParamMissing, ERR.bindParamUndeclared, ERR.bindParamType] as number[];
  const is311 = version.startsWith('3.11');
  let message: string;
  if (bare.includes(err.errorNum)) message = `${err.message} (while ${phase})`;
  else if (!is311 && phase === 'parsing' && err.errorNum === ERR.dataSourceNotFound) message = err.message;
  else {
    const trail = is311 ? '' : nodes.map((n) => ` [node #${n.id}: ${n.type}]`).join('');
    message = `AQL: ${err.message}${trail} (while ${phase})`;
  }
  const out = new SimError(err.code, err.errorNum, message);
  wrapped.add(out);
  return out;
}

/** Errors already carrying their phase; nested subquery execution must not wrap them twice. */
const wrapped = new WeakSet<SimError>();
