/**
 * Instagram's limits on the text it publishes, checked before anything is sent, with a message that says which
 * limit and that nothing was sent. Comments and replies: 300 characters, 4 hashtags, 1 URL
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments).
 * Captions: 2200 characters, 30 hashtags, 20 @ tags
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
 */
import { IgsqlError } from '../errors';

export interface TextLimits {
  characters: number;
  hashtags: number;
  urls?: number;
  mentions?: number;
}

export const COMMENT_LIMITS: TextLimits = { characters: 300, hashtags: 4, urls: 1 };
export const CAPTION_LIMITS: TextLimits = { characters: 2200, hashtags: 30, mentions: 20 };

/** Throws INVALID_VALUE naming the first limit `value` (the column `column`) exceeds; `per` names the kind of text. */
export function checkTextLimits(value: string, limits: TextLimits, column: string, per: string): void {
  const refuse = (what: string, max: number) =>
    new IgsqlError('INVALID_VALUE', `${column} ${what}; Instagram allows at most ${max} per ${per}. Nothing was sent.`);
  const length = [...value].length;
  if (length > limits.characters) throw refuse(`is ${length} characters`, limits.characters);
  const hashtags = value.match(/#[\p{L}\p{N}_]+/gu)?.length ?? 0;
  if (hashtags > limits.hashtags) throw refuse(`has ${hashtags} hashtags`, limits.hashtags);
  if (limits.urls !== undefined) {
    const urls = value.match(/\bhttps?:\/\/\S+|\bwww\.\S+/gi)?.length ?? 0;
    if (urls > limits.urls) throw refuse(`has ${urls} URLs`, limits.urls);
  }
  if (limits.mentions !== undefined) {
    const mentions = value.match(/(?<![\p{L}\p{N}_.])@[A-Za-z0-9._]+/gu)?.length ?? 0;
    if (mentions > limits.mentions) throw refuse(`has ${mentions} @ tags`, limits.mentions);
  }
}
