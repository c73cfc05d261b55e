/**
 * What the language service knows about one connection: its tables, views, columns, key columns, procedures
 * and known values (metric names, enums), read from the connection once and cached per connection.
 */
import type { ColumnInfo, ProcedureInfo, TableInfo } from '../core/api';

export interface CatalogSource {
  tables(): TableInfo[];
  procedures(): ProcedureInfo[];
  /** One table by name, system tables (sys_*) included. */
  table?(name: string): TableInfo | undefined;
}

export class Catalog {
  readonly tables: readonly TableInfo[];
  readonly procedures: readonly ProcedureInfo[];
  private readonly byName = new Map<string, TableInfo>();
  private readonly procByName = new Map<string, ProcedureInfo>();

  constructor(private readonly source: CatalogSource) {
    this.tables = source.tables();
    this.procedures = source.procedures();
    for (const t of this.tables) this.byName.set(t.name.toLowerCase(), t);
    for (const p of this.procedures) this.procByName.set(p.name.toLowerCase(), p);
  }

  table(name: string): TableInfo | undefined {
    const key = name.toLowerCase();
    let t = this.byName.get(key);
    if (!t && key.startsWith('sys_') && this.source.table) {
      t = this.source.table(name);
      if (t) this.byName.set(key, t);
    }
    return t;
  }

  procedure(name: string): ProcedureInfo | undefined {
    return this.procByName.get(name.toLowerCase());
  }

  column(table: string, column: string): ColumnInfo | undefined {
    return this.table(table)?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
  }
}

/** "=, IN" / ">=, <=": the operators Graph applies for a key column, as a user writes them. */
export function keyOpsText(c: ColumnInfo): string {
  const ops = c.keyOps.includes('=') ? ['=', 'IN', ...c.keyOps.filter((o) => o !== '=')] : [...c.keyOps];
  return ops.join(', ');
}
