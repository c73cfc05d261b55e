// Graph's field-expansion syntax: `id,caption,owner{id,username},children.limit(3){id,media_type},
// business_discovery.username(nasa){followers_count}`. Parsed once per request into a tree of FieldSpec.
// https://developers.facebook.com/docs/graph-api/guides/field-expansion
import { GraphError } from './errors';

export interface FieldSpec {
  name: string;
  /** `.limit(5)` → { limit: '5' }; `.username(x)` → { username: 'x' }. */
  modifiers: Record<string, string>;
  /** Sub-fields in braces; undefined when none were given (the node's default fields apply). */
  sub?: FieldSpec[];
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseList(closing?: string): FieldSpec[] {
    const out: FieldSpec[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length || (closing && this.text[this.pos] === closing)) break;
      out.push(this.parseField());
      this.skipSpace();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      break;
    }
    return out;
  }

  parseField(): FieldSpec {
    const spec: FieldSpec = { name: this.name(), modifiers: {} };
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '.') {
        this.pos++;
        const mod = this.name();
        this.expect('(');
        const end = this.text.indexOf(')', this.pos);
        if (end < 0) this.fail();
        spec.modifiers[mod] = this.text.slice(this.pos, end).trim();
        this.pos = end + 1;
      } else if (c === '{') {
        this.pos++;
        spec.sub = this.parseList('}');
        this.expect('}');
      } else {
        return spec;
      }
    }
  }

  done(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail();
  }

  private name(): string {
    this.skipSpace();
    const m = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail();
    this.pos += m![0].length;
    return m![0];
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail();
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private fail(): never {
    throw GraphError.param(`Syntax error "Expected end of string instead of "${this.text.slice(this.pos, this.pos + 1)}"." at character ${this.pos}: ${this.text}`, 2500);
  }
}

/** Parses a `fields=` value; undefined or empty → undefined (the node's default fields). */
export function parseFields(text: string | undefined): FieldSpec[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const p = new Parser(text);
  const list = p.parseList();
  p.done();
  return list;
}

/** The inverse of parseFields, for the `fields=` of nested edges' `next` links. */
export function serializeFields(specs: readonly FieldSpec[]): string {
  return specs.map((s) => {
    const mods = Object.entries(s.modifiers).map(([k, v]) => `.${k}(${v})`).join('');
    return `${s.name}${mods}${s.sub ? `{${serializeFields(s.sub)}}` : ''}`;
  }).join(',');
}
