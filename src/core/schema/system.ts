/**
 * CData-style system tables (DESIGN §3, DATA-MODEL "System tables"): views over the schema files, the procedure
 * registry and the connection properties, computed when read (never written by hand, no Graph call). They are
 * built by a function that receives the lists, so this file imports neither schema/index.ts nor the engine.
 */
import type { SqlType } from '../api';
import type { ProcedureDef } from '../procedures/types';
import { isSecretProperty, PROPERTY_SPECS, type ConnectionProps } from '../props';
import { keyOps } from '../engine/quals';
import type { ColumnDef, Row, TableDef } from './types';

export const CATALOG_NAME = 'InstagramSQL';
export const SCHEMA_NAME = 'Instagram';

export interface SystemTableSources {
  /** The data model's tables and views (what sys_tables lists; the system tables themselves are not listed). */
  tables: () => readonly TableDef[];
  procedures: () => readonly ProcedureDef[];
  props: ConnectionProps;
  /** SQLite's version, once the engine has loaded (for sys_sqlinfo). */
  sqliteVersion?: () => Promise<string | undefined>;
}

const col = (name: string, type: SqlType, description: string): ColumnDef => ({ name, type, description });

function view(name: string, description: string, columns: ColumnDef[], rows: () => Row[] | Promise<Row[]>): TableDef {
  return {
    name,
    kind: 'view',
    description,
    scopes: [],
    columns,
    scanCost: 1,
    async *list() {
      const out = await rows();
      if (out.length) yield out;
    },
  };
}

const isUpdateable = (t: TableDef) => !!(t.insert || t.update || t.delete);

/** Values a property accepts, for sys_connection_props.Values. */
function allowedValues(kind: (typeof PROPERTY_SPECS)[number]['kind']): string | null {
  switch (kind.type) {
    case 'enum': return kind.values.join(',');
    case 'bool': return 'true,false';
    case 'int': return `${kind.min}..${kind.max}`;
    default: return null;
  }
}

/** Features for sys_sqlinfo; the writable tables and the SQLite version come from the sources. */
async function sqlInfo(src: SystemTableSources): Promise<Row[]> {
  const writable = src.tables().filter(isUpdateable).map((t) => t.name);
  const info: Array<[string, string | number | null]> = [
    ['PRODUCT_NAME', 'Instagram SQL'],
    ['DIALECT', 'SQLite'],
    ['SQLITE_VERSION', (await src.sqliteVersion?.()) ?? null],
    ['GRAPH_API_VERSION', src.props.ApiVersion ?? null],
    ['CATALOG_NAME', CATALOG_NAME],
    ['SCHEMA_NAME', SCHEMA_NAME],
    ['IDENTIFIER_QUOTE_OPEN_CHAR', '"'],
    ['IDENTIFIER_QUOTE_CLOSE_CHAR', '"'],
    ['STRING_QUOTE_CHAR', "'"],
    ['PARAMETER_STYLES', '@name,:name,$name,?,?N'],
    ['SUPPORTS_JOINS', 'YES'],
    ['SUPPORTS_SUBQUERIES', 'YES'],
    ['SUPPORTS_UNION', 'YES'],
    ['SUPPORTS_WINDOW_FUNCTIONS', 'YES'],
    ['SUPPORTS_CTE', 'YES'],
    ['SUPPORTS_MULTIPLE_STATEMENTS', 'YES'],
    ['SUPPORTS_EXEC', 'YES'],
    ['STORED_PROCEDURES', src.procedures().map((p) => p.name).join(',')],
    ['SUPPORTS_INSERT', writable.length ? 'YES' : 'NO'],
    ['SUPPORTS_UPDATE', writable.length ? 'YES' : 'NO'],
    ['SUPPORTS_DELETE', writable.length ? 'YES' : 'NO'],
    ['WRITABLE_TABLES', writable.join(',')],
    ['PUSHDOWN_OPERATORS', '=,IN,>,>=,<,<='],
    ['AGGREGATE_FUNCTIONS', 'AVG,COUNT,GROUP_CONCAT,MAX,MIN,SUM,TOTAL'],
    ['GRAPH_BATCH_SIZE', 50],
    ['MAX_ROWS', src.props.MaxRows !== undefined ? Number(src.props.MaxRows) : null],
    ['PAGE_SIZE', src.props.Pagesize !== undefined ? Number(src.props.Pagesize) : null],
  ];
  return info.map(([NAME, VALUE]) => ({ NAME, VALUE: VALUE === null ? null : String(VALUE) }));
}

export const SYSTEM_TABLE_NAMES = ['sys_tables', 'sys_tablecolumns', 'sys_keycolumns', 'sys_procedures', 'sys_procedureparameters', 'sys_connection_props', 'sys_sqlinfo'] as const;

export function systemTables(src: SystemTableSources): TableDef[] {
  const location = { CatalogName: CATALOG_NAME, SchemaName: SCHEMA_NAME };
  const locationCols = [col('CatalogName', 'String', 'Catalog of the object (always InstagramSQL).'), col('SchemaName', 'String', 'Schema of the object (always Instagram).')];
  return [
    view('sys_tables', 'Every table and view of the data model.', [
      ...locationCols,
      col('TableName', 'String', 'Name of the table or view.'),
      col('TableType', 'String', "'TABLE' (readable and writable) or 'VIEW' (read-only)."),
      col('Description', 'String', 'What the table holds and where it comes from.'),
      col('IsUpdateable', 'Boolean', 'INSERT, UPDATE or DELETE is supported.'),
      col('Scopes', 'String', 'Graph permissions needed to read it (comma-separated).'),
    ], () => src.tables().map((t) => ({ ...location, TableName: t.name, TableType: t.kind === 'table' ? 'TABLE' : 'VIEW', Description: t.description, IsUpdateable: isUpdateable(t), Scopes: t.scopes.join(',') }))),

    view('sys_tablecolumns', 'Every column of every table and view.', [
      ...locationCols,
      col('TableName', 'String', 'Table or view the column belongs to.'),
      col('ColumnName', 'String', 'Name of the column.'),
      col('Ordinal', 'Integer', 'Position of the column in the table, from 1.'),
      col('DataTypeName', 'String', 'String, Integer, Boolean, Datetime (ISO 8601 UTC text) or Double.'),
      col('Description', 'String', 'What the column holds.'),
      col('IsKey', 'Boolean', 'The Graph API filters on this column (pushdown); see sys_keycolumns for the operators.'),
      col('IsRequired', 'Boolean', 'The table cannot be read without a filter on this column (or on one of its group, see RequiredGroup).'),
      col('RequiredGroup', 'String', 'When several columns can satisfy the requirement, their group (e.g. HashtagId or Hashtag).'),
      col('IsReadOnly', 'Boolean', 'INSERT/UPDATE cannot set this column.'),
    ], () => src.tables().flatMap((t) => t.columns.map((c, i) => ({
      ...location,
      TableName: t.name,
      ColumnName: c.name,
      Ordinal: i + 1,
      DataTypeName: c.type,
      Description: c.description,
      IsKey: keyOps(t, c.name).length > 0,
      IsRequired: !!c.required,
      RequiredGroup: typeof c.required === 'string' ? c.required : null,
      IsReadOnly: !c.writable,
    })))),

    view('sys_keycolumns', 'Columns the Graph API can filter on (pushdown), with the operators it applies.', [
      ...locationCols,
      col('TableName', 'String', 'Table or view.'),
      col('ColumnName', 'String', 'Key column.'),
      col('Operators', 'String', "Operators sent to Graph, comma-separated ('=' also covers IN lists)."),
      col('IsRequired', 'Boolean', 'The table cannot be read without this filter.'),
    ], () => src.tables().flatMap((t) => t.columns.filter((c) => keyOps(t, c.name).length).map((c) => ({ ...location, TableName: t.name, ColumnName: c.name, Operators: keyOps(t, c.name).join(','), IsRequired: !!c.required })))),

    view('sys_procedures', 'Stored procedures, run with EXEC name @Param = value, ….', [
      ...locationCols,
      col('ProcedureName', 'String', 'Name of the procedure.'),
      col('Description', 'String', 'What it does.'),
    ], () => src.procedures().map((p) => ({ ...location, ProcedureName: p.name, Description: p.description }))),

    view('sys_procedureparameters', 'Inputs and outputs of every stored procedure.', [
      ...locationCols,
      col('ProcedureName', 'String', 'Procedure.'),
      col('ColumnName', 'String', 'Parameter name (pass it as @Name = value).'),
      col('Ordinal', 'Integer', 'Position among the procedure parameters, from 1.'),
      col('DataTypeName', 'String', 'String, Integer, Boolean, Datetime or Double.'),
      col('Direction', 'String', "'IN' (an argument) or 'OUT' (a result column)."),
      col('IsRequired', 'Boolean', 'The procedure cannot run without it.'),
      col('Values', 'String', 'Allowed values, comma-separated, when restricted.'),
      col('Description', 'String', 'What it means.'),
    ], () => src.procedures().flatMap((p) => p.parameters.map((x, i) => ({
      ...location,
      ProcedureName: p.name,
      ColumnName: x.name,
      Ordinal: i + 1,
      DataTypeName: x.type,
      Direction: x.direction.toUpperCase(),
      IsRequired: x.required,
      Values: x.values ? x.values.join(',') : null,
      Description: x.description,
    })))),

    view('sys_connection_props', "Connection properties, their defaults, allowed values and this connection's values (secrets masked as ***).", [
      col('Name', 'String', 'Property name (case-insensitive in connection strings).'),
      col('ShortDescription', 'String', 'What it does.'),
      col('Type', 'String', 'string, secret, enum, int, bool or url.'),
      col('Default', 'String', 'Value when not set.'),
      col('Values', 'String', 'Allowed values (enum, bool) or range (int).'),
      col('Value', 'String', "This connection's value; *** for a secret that is set."),
      col('IsSecret', 'Boolean', 'Never shown or logged.'),
    ], () => PROPERTY_SPECS.map((s) => {
      const v = src.props[s.name];
      const secret = isSecretProperty(s.name);
      return { Name: s.name, ShortDescription: s.description, Type: s.kind.type, Default: s.default ?? null, Values: allowedValues(s.kind), Value: v === undefined ? null : secret ? '***' : v, IsSecret: secret };
    })),

    view('sys_sqlinfo', 'The SQL dialect and the features this connector supports.', [
      col('NAME', 'String', 'Feature or property.'),
      col('VALUE', 'String', 'Its value.'),
    ], () => sqlInfo(src)),
  ];
}
