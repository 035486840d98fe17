import { isAlias, isCollection, isScalar, visit, type Alias, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import type { YamlSource } from '../yamlSource';

/**
 * The document as plain data. yaml reports most problems while parsing, but some only
 * surface when the data is built: an alias to an anchor not defined (yet) or an alias
 * bomb throws, and a list, map or binary value used as a key is stringified with a
 * process warning.
 * Those become located diagnostics here instead.
 */
export function readYamlData(source: YamlSource): { data?: unknown; diagnostics: Diagnostic[] } {
  const badKeys = nonScalarKeys(source);
  if (badKeys.length) {
    return {
      diagnostics: badKeys.map((key) =>
        at(source, key.range?.[0] ?? 0, 'map keys must be plain names, not lists, maps, aliases or binary values'),
      ),
    };
  }
  try {
    return { data: source.toJS(), diagnostics: [] };
  } catch (e) {
    const unresolved = aliases(source).filter((alias) => alias.resolve(source.doc) === undefined);
    if (unresolved.length) {
      return {
        diagnostics: unresolved.map((alias) =>
          at(
            source,
            alias.range?.[0] ?? 0,
            `unknown alias "*${alias.source}": define the anchor "&${alias.source}" before using it`,
          ),
        ),
      };
    }
    const first = aliases(source)[0];
    const message = /alias count/i.test((e as Error).message)
      ? 'too many aliases: the file expands to too much data (at most 100 alias uses)'
      : `could not be read: ${(e as Error).message}`;
    return { diagnostics: [at(source, first?.range?.[0] ?? 0, message)] };
  }
}

function nonScalarKeys(source: YamlSource): Node[] {
  const found: Node[] = [];
  visit(source.doc, {
    Pair(_key, pair) {
      // A `!!binary` key is a scalar node whose value is a byte array: as bad as a map.
      const taggedObject = isScalar(pair.key) && typeof pair.key.value === 'object' && pair.key.value !== null;
      if (isCollection(pair.key) || isAlias(pair.key) || taggedObject) found.push(pair.key as Node);
    },
  });
  return found;
}

function aliases(source: YamlSource): Alias[] {
  const found: Alias[] = [];
  visit(source.doc, {
    Alias(_key, node) {
      found.push(node);
    },
  });
  return found;
}

function at(source: YamlSource, offset: number, message: string): Diagnostic {
  const p = source.positionOfOffset(offset);
  return {
    file: source.file,
    line: p.line,
    column: p.column,
    field: source.fieldAtOffset(offset),
    message,
    severity: 'error',
  };
}
