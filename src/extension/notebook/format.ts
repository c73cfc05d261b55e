/**
 * The `.igsqlnb` file format (host-free): readable, diff-friendly JSON. Each cell's source is an array of lines
 * (a one-line edit is a one-line diff), keys are written in one fixed order with two-space indentation, and
 * outputs are written only when the user keeps them (`igsql.notebook.saveOutputs`). Saving what was opened
 * gives back the same bytes. No secret can be in here: the notebook names a connection and an account id,
 * never a token (tokens live in SecretStorage).
 *
 * {
 *   "igsqlNotebook": 1,
 *   "metadata": { "connection": "Sample account", "accountId": "17841400000000001", "accountLabel": "@igsql_demo" },
 *   "cells": [ { "kind": "markdown", "source": ["# Reach"] }, { "kind": "sql", "source": ["SELECT 1"], "outputs": [...] } ]
 * }
 */
import { IgsqlError } from '../../core/errors';

export const FORMAT_VERSION = 1;

export interface NotebookBinding {
  connection?: string;
  accountId?: string;
  accountLabel?: string;
}

/** A saved output: our result JSON, an error, or plain text. */
export type SavedOutput =
  | { result: unknown }
  | { error: { code: string; message: string } }
  | { text: string };

export interface FileCell {
  kind: 'sql' | 'markdown';
  source: string;
  outputs?: SavedOutput[];
  /** Execution order and duration of the saved run, written with the outputs. */
  execution?: { order?: number; durationMs?: number };
}

export interface NotebookFile {
  metadata: NotebookBinding;
  cells: FileCell[];
}

export function parseNotebook(text: string): NotebookFile {
  if (!text.trim()) return { metadata: {}, cells: [] }; // a new, empty file
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new IgsqlError('INVALID_VALUE', `This .igsqlnb file is not valid JSON (${(e as Error).message}): fix it in a text editor (Reopen Editor With… → Text Editor).`);
  }
  const doc = raw as { igsqlNotebook?: unknown; metadata?: unknown; cells?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.cells)) {
    throw new IgsqlError('INVALID_VALUE', 'This .igsqlnb file has no "cells" array: it is not an Instagram SQL notebook, or it was cut short.');
  }
  if (typeof doc.igsqlNotebook === 'number' && doc.igsqlNotebook > FORMAT_VERSION) {
    throw new IgsqlError('INVALID_VALUE', `This notebook was saved by a newer Instagram SQL (format ${doc.igsqlNotebook}): update the extension to open it.`);
  }
  const meta = (doc.metadata && typeof doc.metadata === 'object' ? doc.metadata : {}) as Record<string, unknown>;
  const metadata: NotebookBinding = {};
  for (const key of ['connection', 'accountId', 'accountLabel'] as const) if (typeof meta[key] === 'string') metadata[key] = meta[key] as string;
  const cells = doc.cells.map((c, i): FileCell => {
    const cell = c as { kind?: unknown; source?: unknown; outputs?: unknown; execution?: unknown };
    if (!cell || typeof cell !== 'object') throw new IgsqlError('INVALID_VALUE', `Cell ${i + 1} of this notebook is not an object.`);
    const kind = cell.kind === 'markdown' ? 'markdown' : 'sql';
    const source = Array.isArray(cell.source) ? cell.source.map(String).join('\n') : typeof cell.source === 'string' ? cell.source : '';
    const out: FileCell = { kind, source };
    if (Array.isArray(cell.outputs)) out.outputs = cell.outputs.filter(isSavedOutput);
    if (cell.execution && typeof cell.execution === 'object') {
      const e = cell.execution as Record<string, unknown>;
      out.execution = {};
      if (typeof e.order === 'number') out.execution.order = e.order;
      if (typeof e.durationMs === 'number') out.execution.durationMs = e.durationMs;
    }
    return out;
  });
  return { metadata, cells };
}

function isSavedOutput(o: unknown): o is SavedOutput {
  if (!o || typeof o !== 'object') return false;
  const v = o as Record<string, unknown>;
  return 'result' in v || (typeof v.text === 'string') || (!!v.error && typeof v.error === 'object');
}

/** The canonical text: fixed key order, lines as arrays, outputs only when `keepOutputs`. */
export function renderNotebook(file: NotebookFile, keepOutputs: boolean): string {
  const metadata: NotebookBinding = {};
  if (file.metadata.connection !== undefined) metadata.connection = file.metadata.connection;
  if (file.metadata.accountId !== undefined) metadata.accountId = file.metadata.accountId;
  if (file.metadata.accountLabel !== undefined) metadata.accountLabel = file.metadata.accountLabel;
  const cells = file.cells.map((c) => {
    const out: Record<string, unknown> = { kind: c.kind, source: c.source === '' ? [] : c.source.split('\n') };
    if (keepOutputs && c.kind === 'sql' && c.outputs?.length) {
      if (c.execution && (c.execution.order !== undefined || c.execution.durationMs !== undefined)) out.execution = c.execution;
      out.outputs = c.outputs;
    }
    return out;
  });
  return `${JSON.stringify({ igsqlNotebook: FORMAT_VERSION, metadata, cells }, null, 2)}\n`;
}
