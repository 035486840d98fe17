/**
 * Which inputs a template needs. Mustache/Handlebars/Jinja share `{{ … }}`, so one scanner
 * reads all of them: `{{ name }}` and `{{ item.id }}` give their root identifier, Jinja
 * `{% for x in items %}` binds `x` inside the loop, and Mustache comments, sections and
 * partials name no input. Unclosed or unknown tags are plain text, never an error.
 */

/** Words that are Jinja syntax or literals inside an expression, not inputs. */
const EXPRESSION_WORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'recursive',
  'this',
]);

/** `{%` opens a Jinja statement only when one of these follows; `{%}` in a table is text. */
const STATEMENT_KEYWORDS = new Set([
  'for',
  'endfor',
  'if',
  'elif',
  'else',
  'endif',
  'set',
  'endset',
  'block',
  'endblock',
  'extends',
  'include',
  'import',
  'from',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'filter',
  'endfilter',
  'with',
  'endwith',
  'raw',
  'endraw',
  'autoescape',
  'endautoescape',
  'trans',
  'endtrans',
  'pluralize',
  'do',
  'break',
  'continue',
]);

const STATEMENT_KEYWORD = /[-+]?\s*([A-Za-z_]+)/y;
const FOR_STATEMENT = /^for\s+(.+?)\s+in\s+([\s\S]+?)(?:\s+recursive)?$/;
const SET_STATEMENT = /^set\s+([A-Za-z_][\w\s,()]*?)\s*=([\s\S]*)$/;
const END_RAW = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;

/** Template variables used across `texts`, sorted, without duplicates. */
export function templateVariables(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) scanTemplate(text, found);
  return [...found].sort();
}

/** VS Code prompt-file inputs: `${input:name}` and `${input:name:placeholder}` give `name`. */
export function vscodeInputVariables(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/\$\{input:([^}:]*)(?::[^}]*)?\}/g)) {
      const name = m[1].trim();
      if (name) found.add(name);
    }
  }
  return [...found].sort();
}

class TemplateScope {
  /** Names bound by enclosing `{% for %}` loops, innermost last. */
  private readonly loops: Set<string>[] = [];
  /** Names assigned with `{% set %}`. */
  private readonly assigned = new Set<string>();

  constructor(private readonly found: Set<string>) {}

  use(expression: string): void {
    for (const name of expressionRoots(expression)) {
      if (!this.assigned.has(name) && !this.loops.some((bound) => bound.has(name))) this.found.add(name);
    }
  }

  statement(source: string): void {
    const body = source.replace(/^[-+]?\s*/, '').replace(/\s*[-+]?$/, '');
    const keyword = /^[A-Za-z_]+/.exec(body)?.[0] ?? '';
    if (keyword === 'for') {
      const m = FOR_STATEMENT.exec(body);
      if (!m) return;
      this.use(m[2].replace(/\s+if\s[\s\S]*$/, ''));
      const bound = new Set(
        m[1]
          .split(',')
          .map((t) => t.replace(/[()\s]/g, ''))
          .filter(Boolean),
      );
      bound.add('loop');
      this.loops.push(bound);
    } else if (keyword === 'endfor') {
      this.loops.pop();
    } else if (keyword === 'if' || keyword === 'elif') {
      this.use(body.slice(keyword.length));
    } else if (keyword === 'set') {
      const m = SET_STATEMENT.exec(body);
      if (!m) return;
      this.use(m[2]);
      for (const target of m[1].split(',')) {
        const name = target.replace(/[()\s]/g, '');
        if (name) this.assigned.add(name);
      }
    }
  }
}

function scanTemplate(text: string, found: Set<string>): void {
  const scope = new TemplateScope(found);
  // Cached positions of the next `%}` / `#}`: many `{%` before one close must stay linear.
  let statementClose = -2;
  let commentClose = -2;
  let i = 0;
  for (;;) {
    const open = text.indexOf('{', i);
    if (open < 0 || open + 1 >= text.length) return;
    const next = text[open + 1];
    if (next === '{') {
      const close = text.indexOf('}}', open + 2);
      if (close < 0) return; // no `}}` anywhere after: the rest is text
      // `{{{ name }}}` is Mustache's unescaped form of `{{ name }}`.
      const triple = text[open + 2] === '{' && text[close + 2] === '}';
      expressionTag(text.slice(open + (triple ? 3 : 2), close), scope);
      i = close + (triple ? 3 : 2);
    } else if (next === '%') {
      if (statementClose !== -1 && statementClose < open + 2) statementClose = text.indexOf('%}', open + 2);
      STATEMENT_KEYWORD.lastIndex = open + 2;
      const keyword = STATEMENT_KEYWORD.exec(text)?.[1];
      if (statementClose < 0 || !keyword || !STATEMENT_KEYWORDS.has(keyword)) {
        i = open + 1;
        continue;
      }
      scope.statement(text.slice(open + 2, statementClose));
      i = statementClose + 2;
      if (keyword === 'raw') {
        END_RAW.lastIndex = i;
        const end = END_RAW.exec(text);
        if (!end) return;
        i = end.index + end[0].length;
      }
    } else if (next === '#') {
      if (commentClose !== -1 && commentClose < open + 2) commentClose = text.indexOf('#}', open + 2);
      i = commentClose < 0 ? open + 1 : commentClose + 2;
    } else {
      i = open + 1;
    }
  }
}

/** One `{{ … }}` tag: Mustache comments (`!`), sections (`#`, `^`, `/`), partials (`>`) and delimiter changes (`=`) name no input. */
function expressionTag(inner: string, scope: TemplateScope): void {
  const source = inner
    .replace(/^[-+~]/, '')
    .replace(/[-+~]$/, '')
    .trim();
  const sigil = source[0];
  if (sigil === '!' || sigil === '#' || sigil === '^' || sigil === '/' || sigil === '>' || sigil === '=') return;
  scope.use(sigil === '&' ? source.slice(1) : source);
}

/**
 * Root identifiers an expression reads: `item.id | upper` → item; attribute names, filter
 * and test names, function calls, keyword arguments and string literals are skipped.
 */
export function expressionRoots(expression: string): string[] {
  const roots: string[] = [];
  let previous = ''; // the last significant character or word before the current token
  let i = 0;
  const n = expression.length;
  while (i < n) {
    const c = expression[i];
    if (c === '"' || c === "'") {
      const end = expression.indexOf(c, i + 1);
      i = end < 0 ? n : end + 1;
      previous = 'literal';
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /\w/.test(expression[j])) j++;
      const word = expression.slice(i, j);
      let k = j;
      while (k < n && (expression[k] === ' ' || expression[k] === '\t')) k++;
      const after = expression[k];
      const isCall = after === '(';
      const isKeywordArgument = after === '=' && expression[k + 1] !== '=';
      const isMember = previous === '.' || previous === '|' || previous === '@' || previous === 'is';
      if (!isMember && !isCall && !isKeywordArgument && !EXPRESSION_WORDS.has(word)) roots.push(word);
      // After `is` (and `is not`) comes a test name such as `defined`, not an input.
      previous = word === 'is' || (word === 'not' && previous === 'is') ? 'is' : 'word';
      i = j;
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(expression[i])) i++;
      previous = 'literal';
    } else {
      if (!/\s/.test(c)) previous = c;
      i++;
    }
  }
  return roots;
}
