/**
 * Comment and reply writes, shared by Comments and Replies. Instagram's limits (text-limits.ts: 300 characters,
 * 4 hashtags, 1 URL) are checked before anything is sent.
 */
import { IgsqlError } from '../errors';
import { COMMENT_LIMITS, checkTextLimits } from './text-limits';
import type { Row, TableContext } from './types';

export function validateCommentText(value: unknown, table: string): string {
  if (typeof value !== 'string' || !value.trim()) {
    throw new IgsqlError('INVALID_VALUE', `INSERT INTO ${table} needs a non-empty Text.`);
  }
  checkTextLimits(value, COMMENT_LIMITS, 'Text', 'comment');
  return value;
}

function requiredId(values: Row, column: string, table: string): string {
  const v = values[column];
  if (v === undefined || v === null || v === '') {
    throw new IgsqlError('INVALID_VALUE', `INSERT INTO ${table} needs ${column} (the ${column === 'MediaId' ? 'media to comment on' : 'comment to reply to'}).`);
  }
  return String(v);
}

/** POST /{parent}/{edge}?message= → the new id. */
export async function insertComment(ctx: TableContext, values: Row, table: string, parentColumn: 'MediaId' | 'CommentId'): Promise<Row> {
  const message = validateCommentText(values.Text, table);
  const parent = requiredId(values, parentColumn, table);
  const edge = parentColumn === 'MediaId' ? 'comments' : 'replies';
  const r = await ctx.post<{ id: string }>([parent, edge], { message }, `a new ${table === 'Comments' ? 'comment' : 'reply'} on ${parent}`);
  ctx.note(`${table}: inserted ${r.id}.`);
  return { ...values, Id: r.id };
}

/** Hidden as Graph's hide=true|false; anything but 1/0/true/false is refused (it must not unhide by accident). */
function hiddenValue(v: unknown, table: string): boolean {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : undefined;
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  throw new IgsqlError('INVALID_VALUE', `${table}: Hidden must be 1 (hide) or 0 (show), got ${v === null || v === undefined ? 'NULL' : `'${String(v)}'`}. Nothing was sent.`);
}

/** Only Hidden can change (POST /{comment}?hide=); anything else is refused before sending. */
export async function updateComment(ctx: TableContext, id: string, values: Row, old: Row | undefined, table: string): Promise<void> {
  if (old) {
    const changed = Object.keys(values).filter((k) => k !== 'Hidden' && values[k] !== undefined && String(values[k] ?? '') !== String(old[k] ?? ''));
    if (changed.length) {
      throw new IgsqlError('READ_ONLY', `${table}: only Hidden can be updated (Instagram cannot edit ${changed.join(', ')}). Nothing was sent.`);
    }
  }
  const hide = hiddenValue(values.Hidden, table);
  await ctx.post<{ success: boolean }>([id], { hide }, `${table === 'Comments' ? 'comment' : 'reply'} ${id}`);
}

export async function deleteComment(ctx: TableContext, id: string, table: string): Promise<void> {
  await ctx.delete<{ success: boolean }>([id], {}, `${table === 'Comments' ? 'comment' : 'reply'} ${id}`);
}
