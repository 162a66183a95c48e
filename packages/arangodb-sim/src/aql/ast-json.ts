/** Renders the syntax tree in ArangoDB's AST JSON form (POST /_api/query, explain expressions). */
import type { Expr, Query, Statement, Variable } from './ast.js';

/** ArangoDB's AstNodeType numbers, as they appear as `typeID` in explain output. */
const TYPE_IDS: Record<string, number> = {
  'unary plus': 15,
  'unary minus': 16,
  'unary not': 17,
  'logical and': 18,
  'logical or': 19,
  plus: 20,
  minus: 21,
  times: 22,
  division: 23,
  modulus: 24,
  'compare ==': 25,
  'compare !=': 26,
  'compare <': 27,
  'compare <=': 28,
  'compare >': 29,
  'compare >=': 30,
  'compare in': 31,
  'compare not in': 32,
  ternary: 33,
  subquery: 34,
  'attribute access': 35,
  'indexed access': 37,
  expansion: 38,
  iterator: 39,
  value: 40,
  array: 41,
  object: 42,
  'object element': 43,
  collection: 44,
  reference: 45,
  parameter: 46,
  'function call': 47,
  range: 49,
  'no-op': 50,
  'calculated object element': 53,
  'datasource parameter': 54,
  'n-ary and': 62,
  'n-ary or': 63,
};

const BINARY_NAMES: Record<string, string> = {
  '&&': 'logical and',
  '||': 'logical or',
  '+': 'plus',
  '-': 'minus',
  '*': 'times',
  '/': 'division',
  '%': 'modulus',
  '==': 'compare ==',
  '!=': 'compare !=',
  '<': 'compare <',
  '<=': 'compare <=',
  '>': 'compare >',
  '>=': 'compare >=',
  in: 'compare in',
  'not in': 'compare not in',
};

export interface JsonOptions {
  /** Explain output adds `typeID`/`vTypeID`. */
  typeIds: boolean;
  /** 3.12 adds `subqueryReference` to references. */
  subqueryReference: boolean;
}

type Node = Record<string, unknown>;

export function exprJson(e: Expr, o: JsonOptions): Node {
  const node = (type: string, extra: Node = {}, subNodes?: Node[]): Node => {
    const n: Node = { type };
    if (o.typeIds) n.typeID = TYPE_IDS[type] ?? 0;
    Object.assign(n, extra);
    if (subNodes) n.subNodes = subNodes;
    return n;
  };
  const sub = (x: Expr) => exprJson(x, o);
  switch (e.kind) {
    case 'value': {
      const v = e.value;
      if (!o.typeIds) return node('value', { value: v });
      const vType =
        v === null
          ? 0
          : typeof v === 'boolean'
            ? 1
            : typeof v === 'number'
              ? Number.isInteger(v)
                ? 2
                : 3
              : 4;
      return node('value', { value: v, vTypeID: vType });
    }
    case 'array':
      return node('array', {}, e.items.map(sub));
    case 'object':
      return node(
        'object',
        {},
        e.entries.map((en) =>
          typeof en.key === 'string'
            ? node('object element', { name: en.key }, [sub(en.value)])
            : node('calculated object element', {}, [sub(en.key), sub(en.value)]),
        ),
      );
    case 'ref':
      return node('reference', {
        name: e.variable.name,
        id: e.variable.id,
        ...(o.subqueryReference && { subqueryReference: false }),
      });
    case 'param':
      return e.name.startsWith('@')
        ? node('datasource parameter', { name: e.name.slice(1) })
        : node('parameter', { name: e.name });
    case 'collection':
      return node('collection', { name: e.name });
    case 'attr':
      return node('attribute access', { name: e.name }, [sub(e.object)]);
    case 'index':
      return node('indexed access', {}, [sub(e.object), sub(e.index)]);
    case 'expand':
      // Members as Ast::createNodeExpansion orders them: iterator, reference, filter, limit, return.
      return node('expansion', { levels: 1 }, [
        node('iterator', {}, [variableJson(e.iterator), sub(e.source)]),
        sub({ kind: 'ref', variable: e.iterator }),
        e.filter ? sub(e.filter) : node('no-op'),
        e.limit ? node('array limit', {}, [sub(e.limit.offset), sub(e.limit.count)]) : node('no-op'),
        sub(e.map),
      ]);
    case 'call':
      return node('function call', { name: e.name }, [node('array', {}, e.args.map(sub))]);
    case 'unary':
      return node(e.op === '!' ? 'unary not' : e.op === '-' ? 'unary minus' : 'unary plus', {}, [
        sub(e.operand),
      ]);
    case 'binary':
      if (e.op === 'like' || e.op === 'not like' || e.op === '=~' || e.op === '!~') {
        const call = node('function call', { name: e.op.includes('like') ? 'LIKE' : 'REGEX_TEST' }, [
          node('array', {}, [sub(e.left), sub(e.right)]),
        ]);
        return e.op === 'not like' || e.op === '!~' ? node('unary not', {}, [call]) : call;
      }
      return node(BINARY_NAMES[e.op] as string, {}, [sub(e.left), sub(e.right)]);
    case 'ternary':
      return node('ternary', {}, [
        sub(e.condition),
        ...(e.whenTrue ? [sub(e.whenTrue)] : []),
        sub(e.otherwise),
      ]);
    case 'range':
      return node('range', {}, [sub(e.from), sub(e.to)]);
    case 'subquery':
      return node(
        'subquery',
        {},
        e.body.map((s) => statementJson(s, o)),
      );
  }
}

function variableJson(v: Variable): Node {
  return { type: 'variable', name: v.name, id: v.id };
}

const NOOP: Node = { type: 'no-op' };

function statementJson(s: Statement, o: JsonOptions): Node {
  const x = (e: Expr) => exprJson(e, o);
  const opts = (e: Expr | undefined) => (e ? x(e) : NOOP);
  switch (s.kind) {
    case 'for':
      return { type: 'for', subNodes: [variableJson(s.variable), x(s.source), opts(s.options)] };
    case 'traversal':
      return {
        type: 'traversal',
        subNodes: [
          { type: 'direction', subNodes: [{ type: 'value', value: s.direction }] },
          x(s.start),
          s.graph
            ? x(s.graph)
            : {
                type: 'collection list',
                subNodes: s.edgeCollections.map((ec) =>
                  'name' in ec.collection
                    ? { type: 'collection', name: ec.collection.name }
                    : { type: 'datasource parameter', name: ec.collection.param.slice(1) },
                ),
              },
          opts(s.options),
          variableJson(s.vertex),
          ...(s.edge ? [variableJson(s.edge)] : []),
          ...(s.path ? [variableJson(s.path)] : []),
        ],
      };
    case 'let':
      return { type: 'let', subNodes: [variableJson(s.variable), x(s.expr)] };
    case 'filter':
      return { type: 'filter', subNodes: [x(s.expr)] };
    case 'return':
      return { type: 'return', subNodes: [x(s.expr)] };
    case 'limit':
      return { type: 'limit', subNodes: [x(s.offset), x(s.count)] };
    case 'sort':
      return {
        type: 'sort',
        subNodes: [
          {
            type: 'array',
            subNodes: s.elements.map((el) => ({
              type: 'sort element',
              subNodes: [x(el.expr), { type: 'value', value: el.ascending }],
            })),
          },
        ],
      };
    case 'collect':
      return {
        type: 'collect',
        subNodes: [
          {
            type: 'array',
            subNodes: s.groups.map((g) => ({
              type: 'assign',
              subNodes: [variableJson(g.variable), x(g.expr)],
            })),
          },
          ...(s.aggregates.length > 0
            ? [
                {
                  type: 'array',
                  subNodes: s.aggregates.map((a) => ({
                    type: 'assign',
                    subNodes: [
                      variableJson(a.variable),
                      {
                        type: 'function call',
                        name: a.fn,
                        subNodes: [{ type: 'array', subNodes: [x(a.arg)] }],
                      },
                    ],
                  })),
                },
              ]
            : []),
          ...(s.into ? [variableJson(s.into.variable)] : []),
          ...(s.countInto ? [{ type: 'collect count', subNodes: [variableJson(s.countInto)] }] : []),
        ],
      };
    case 'modify': {
      const coll =
        'name' in s.collection
          ? { type: 'collection', name: s.collection.name }
          : { type: 'datasource parameter', name: s.collection.param.slice(1) };
      const docs = s.op === 'remove' ? [x(s.doc)] : s.key ? [x(s.key), x(s.doc)] : [x(s.doc)];
      return { type: s.op, subNodes: [opts(s.options), coll, ...docs] };
    }
    case 'upsert': {
      const coll =
        'name' in s.collection
          ? { type: 'collection', name: s.collection.name }
          : { type: 'datasource parameter', name: s.collection.param.slice(1) };
      return { type: 'upsert', subNodes: [opts(s.options), coll, x(s.search), x(s.insert), x(s.update)] };
    }
  }
}

export function queryJson(q: Query, o: JsonOptions): Node[] {
  const subNodes: Node[] = [];
  if (q.withCollections.length > 0) {
    subNodes.push({
      type: 'with',
      subNodes: [
        {
          type: 'collection list',
          subNodes: q.withCollections.map((name) => ({ type: 'collection', name })),
        },
      ],
    });
  }
  for (const s of q.body) subNodes.push(statementJson(s, o));
  return [{ type: 'root', subNodes }];
}
