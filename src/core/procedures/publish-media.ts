/**
 * PublishMedia (Instagram content publishing, https://developers.facebook.com/docs/instagram-platform/content-publishing):
 * POST /{ig-user}/media creates a container; GET /{container}?fields=status_code,status is polled with growing
 * delays until FINISHED; POST /{ig-user}/media_publish with creation_id publishes it. Both POSTs are sent once:
 * the Graph client never retries a write, and a lost answer is reported as an unknown outcome.
 */
import { IgsqlError, isIgsqlError } from '../errors';
import { CAPTION_LIMITS, checkTextLimits } from '../schema/text-limits';
import type { ProcedureArgs, ProcedureContext, ProcedureDef } from './types';

const SCOPES = ['instagram_basic', 'instagram_content_publish'];
/** Delays between status polls (ms); the last one repeats. Images are usually ready at once, videos take longer. */
export const POLL_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000];
/** Meta suggests polling for up to 5 minutes. */
export const POLL_LIMIT_MS = 5 * 60 * 1000;

interface ContainerStatus { id?: string; status_code?: string; status?: string }

function text(args: ProcedureArgs, name: string): string | undefined {
  const v = args[name];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function needs(what: string): IgsqlError {
  return new IgsqlError('INVALID_VALUE', `PublishMedia: ${what}. Parameters: ImageUrl | VideoUrl, Caption, MediaType (IMAGE, REELS, STORIES), BusinessAccountId, ShareToFeed, CoverUrl.`);
}

/** The account to publish to: the argument, else the connection's single BusinessAccountId, else the only visible account. */
async function account(ctx: ProcedureContext, args: ProcedureArgs): Promise<string> {
  const explicit = text(args, 'BusinessAccountId');
  if (explicit) return explicit;
  const configured = (ctx.props.BusinessAccountId ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (configured.length === 1) return configured[0]!;
  const candidates = configured.length ? configured : (await ctx.businessAccounts()).map((a) => `${a.id}${a.username ? ` (@${a.username})` : ''}`);
  if (candidates.length === 1) return candidates[0]!.split(' ')[0]!;
  if (!candidates.length) throw new IgsqlError('NOT_FOUND', 'PublishMedia: this token sees no Instagram business account to publish to.');
  throw needs(`choose the account to publish to with @BusinessAccountId = '…' (one of ${candidates.join(', ')})`);
}

/**
 * Graph answers a container POST to an id that is not an Instagram account this token sees with "does not
 * exist" (nothing was created: a 4xx refusal): the missing thing is the account, so say so and list the
 * accounts the token sees, as when @BusinessAccountId is left out.
 */
async function unknownAccount(ctx: ProcedureContext, e: unknown, user: string): Promise<IgsqlError | undefined> {
  if (!isIgsqlError(e) || e.code !== 'NOT_FOUND') return undefined;
  const seen = await ctx.businessAccounts().catch(() => []);
  const list = seen.map((a) => `${a.id}${a.username ? ` (@${a.username})` : ''}`).join(', ');
  return new IgsqlError('NOT_FOUND', `PublishMedia: ${user} is not an Instagram business account this token can publish to${list ? `: use @BusinessAccountId = one of ${list}` : ''}. Nothing was published.`, e.details);
}

function permission(e: unknown): unknown {
  if (isIgsqlError(e) && e.code === 'PERMISSION_DENIED') {
    return new IgsqlError('PERMISSION_DENIED', `Publishing needs the permissions ${SCOPES.join(', ')}, which this token may lack (${e.message}). Sign in again and grant them (add them to the Scope property if you set it).`, { ...e.details, scopes: SCOPES });
  }
  return e;
}

export const PublishMedia: ProcedureDef = {
  name: 'PublishMedia',
  description:
    'Publishes an image, a reel or a story from a public URL: creates a media container, waits until Instagram has processed it (status FINISHED), then publishes it and returns the new media id. Needs instagram_content_publish; counts against the 24-hour publishing quota of the account (see ContentPublishingLimit).',
  parameters: [
    { name: 'ImageUrl', type: 'String', direction: 'in', required: false, description: 'Public URL of a JPEG image (IMAGE, STORIES).' },
    { name: 'VideoUrl', type: 'String', direction: 'in', required: false, description: 'Public URL of a video (REELS, STORIES).' },
    { name: 'Caption', type: 'String', direction: 'in', required: false, description: 'Caption, with hashtags and @mentions: at most 2200 characters, 30 hashtags and 20 @ tags (not used by stories).' },
    { name: 'MediaType', type: 'String', direction: 'in', required: false, values: ['IMAGE', 'REELS', 'STORIES'], description: 'IMAGE (default with ImageUrl), REELS (default with VideoUrl) or STORIES.' },
    { name: 'BusinessAccountId', type: 'String', direction: 'in', required: false, description: "Instagram account to publish to; default: the connection's BusinessAccountId, or the only account the token sees." },
    { name: 'ShareToFeed', type: 'Boolean', direction: 'in', required: false, description: 'REELS: also show the reel in the feed grid.' },
    { name: 'CoverUrl', type: 'String', direction: 'in', required: false, description: 'REELS: public URL of a cover image.' },
    { name: 'MediaId', type: 'String', direction: 'out', required: false, description: 'Id of the published media.' },
    { name: 'ContainerId', type: 'String', direction: 'out', required: false, description: 'Id of the media container that was published.' },
  ],
  async run(ctx, args) {
    const imageUrl = text(args, 'ImageUrl');
    const videoUrl = text(args, 'VideoUrl');
    if (imageUrl && videoUrl) throw needs('give ImageUrl or VideoUrl, not both');
    if (!imageUrl && !videoUrl) throw needs('give the media to publish with @ImageUrl = \'https://…\' or @VideoUrl = \'https://…\'');
    const mediaType = text(args, 'MediaType') ?? (videoUrl ? 'REELS' : 'IMAGE');
    if (mediaType === 'IMAGE' && !imageUrl) throw needs('MediaType IMAGE needs ImageUrl (for a video use MediaType REELS)');
    if (mediaType === 'REELS' && !videoUrl) throw needs('MediaType REELS needs VideoUrl');
    if (mediaType !== 'REELS' && (args.ShareToFeed !== undefined || args.CoverUrl !== undefined)) throw needs('ShareToFeed and CoverUrl apply to REELS only');
    const caption = mediaType === 'STORIES' ? undefined : text(args, 'Caption'); // stories have no caption
    if (caption !== undefined) checkTextLimits(caption, CAPTION_LIMITS, 'Caption', 'caption');
    const user = await account(ctx, args);

    let containerId: string;
    try {
      const created = await ctx.post<{ id?: string }>([user, 'media'], {
        image_url: imageUrl,
        video_url: videoUrl,
        caption,
        media_type: mediaType === 'IMAGE' ? undefined : mediaType, // a single image has no media_type
        share_to_feed: args.ShareToFeed === undefined || args.ShareToFeed === null ? undefined : args.ShareToFeed ? 'true' : 'false',
        cover_url: text(args, 'CoverUrl'),
      }, `a media container on account ${user}`);
      if (!created.id) throw new IgsqlError('GRAPH_ERROR', `Graph created no media container on account ${user} (no id in the answer).`);
      containerId = created.id;
    } catch (e) {
      throw await unknownAccount(ctx, e, user) ?? permission(e);
    }

    const started = ctx.now();
    for (let attempt = 0; ; attempt++) {
      const s = await ctx.get<ContainerStatus>([containerId], { fields: 'status_code,status' }, `the status of media container ${containerId}`);
      const code = (s.status_code ?? '').toUpperCase();
      if (code === 'FINISHED') break;
      if (code === 'PUBLISHED') throw new IgsqlError('INVALID_VALUE', `Media container ${containerId} is already published.`);
      if (code === 'ERROR' || code === 'EXPIRED') {
        throw new IgsqlError('GRAPH_ERROR', `Instagram could not process the media (container ${containerId}: ${code}${s.status ? `, "${s.status}"` : ''}). Nothing was published: check that the URL is public and the file meets Instagram's format limits, then try again.`);
      }
      if (ctx.now() - started >= POLL_LIMIT_MS) {
        throw new IgsqlError('TIMEOUT', `Media container ${containerId} was still ${code || 'not ready'} after ${Math.round((ctx.now() - started) / 1000)} s, so it was not published. Instagram keeps a container for 24 hours: run PublishMedia again later.`);
      }
      await ctx.sleep(POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)]!);
    }

    let published: { id?: string };
    try {
      published = await ctx.post<{ id?: string }>([user, 'media_publish'], { creation_id: containerId }, `publishing media container ${containerId}`);
    } catch (e) {
      throw permission(e);
    }
    if (!published.id) throw new IgsqlError('GRAPH_ERROR', `Graph published container ${containerId} but returned no media id.`);
    ctx.note(`Published media ${published.id} on account ${user}.`);
    return [{ MediaId: published.id, ContainerId: containerId }];
  },
};
