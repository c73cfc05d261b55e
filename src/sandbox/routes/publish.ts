// Content publishing: POST /{ig-user}/media creates a container, GET /{container}?fields=status_code polls
// it (IN_PROGRESS twice, then FINISHED), POST /{ig-user}/media_publish turns it into media, which then
// appears in /media (or /stories), and /content_publishing_limit counts it against the 100-a-day quota.
// https://developers.facebook.com/docs/instagram-platform/content-publishing
import { requireScopes } from '../auth';
import { writeTime, type Ctx } from '../context';
import { newMedia } from '../data/media';
import type { Container, IgUser, Media } from '../data/types';
import { containerStatus } from '../nodes';
import { GraphError } from '../errors';
import { Random } from '../random';

const SCOPES = ['instagram_basic', 'instagram_content_publish'];
const QUOTA = 100;

export function createContainer(ctx: Ctx, user: IgUser): unknown {
  requireScopes(ctx.token, SCOPES);
  const p = ctx.params;
  const mediaType = (p.media_type || (p.video_url ? 'VIDEO' : 'IMAGE')).toUpperCase();
  if (!['IMAGE', 'REELS', 'STORIES', 'CAROUSEL', 'VIDEO'].includes(mediaType)) {
    throw GraphError.param('(#100) media_type must be one of the following values: REELS, STORIES, CAROUSEL');
  }
  if (mediaType === 'VIDEO') throw GraphError.param('(#100) The VIDEO media type is no longer supported; use media_type=REELS', 100, 2207067);
  const isCarouselItem = p.is_carousel_item === 'true';
  const children = (p.children ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (mediaType === 'CAROUSEL') {
    if (children.length < 2 || children.length > 10) throw GraphError.param('(#100) A carousel needs between 2 and 10 children');
    for (const id of children) if (!ctx.world.containers.get(id)?.isCarouselItem) throw GraphError.param(`(#100) Child container ${id} is not a carousel item`);
  } else if (mediaType === 'REELS' && !p.video_url) {
    throw GraphError.param('(#100) The parameter video_url is required');
  } else if (mediaType === 'STORIES' && !p.video_url && !p.image_url) {
    throw GraphError.param('(#100) The parameter image_url or video_url is required');
  } else if (mediaType === 'IMAGE' && !p.image_url) {
    throw GraphError.param('(#100) The parameter image_url is required');
  }
  const c: Container = {
    id: ctx.world.nextId('179'), ownerId: user.id, mediaType: mediaType as Container['mediaType'],
    imageUrl: p.image_url, videoUrl: p.video_url, caption: p.caption, children, isCarouselItem, polls: 0,
  };
  ctx.world.containers.set(c.id, c);
  return { id: c.id };
}

function quotaUsage(ctx: Ctx, user: IgUser): number {
  return ctx.world.publishCount.get(user.id) ?? 0;
}

function materialise(ctx: Ctx, user: IgUser, c: Container): Media {
  const rnd = Random.derive(ctx.world.seed, 'publish', c.id);
  const isVideo = c.mediaType === 'REELS' || !!c.videoUrl;
  const shape = {
    mediaType: c.mediaType === 'CAROUSEL' ? 'CAROUSEL_ALBUM' as const : isVideo ? 'VIDEO' as const : 'IMAGE' as const,
    productType: c.mediaType === 'REELS' ? 'REELS' as const : c.mediaType === 'STORIES' ? 'STORY' as const : 'FEED' as const,
    timestamp: writeTime(ctx.world),
    likeScale: 0,
  };
  const m = newMedia(ctx.world, rnd, user, shape, c.mediaType === 'STORIES' ? undefined : c.caption);
  if (c.mediaType !== 'STORIES') m.is_comment_enabled = true;
  for (const childId of c.children) {
    const child = ctx.world.containers.get(childId)!;
    const cm = newMedia(ctx.world, rnd, user, { mediaType: child.videoUrl ? 'VIDEO' : 'IMAGE', productType: 'FEED', timestamp: m.timestamp, likeScale: 0 });
    cm.parentId = m.id;
    m.children.push(cm.id);
    child.publishedMediaId = cm.id;
  }
  return m;
}

export function publish(ctx: Ctx, user: IgUser): unknown {
  requireScopes(ctx.token, SCOPES);
  const id = ctx.params.creation_id;
  if (!id) throw GraphError.param('(#100) The parameter creation_id is required');
  const c = ctx.world.containers.get(id);
  if (!c || c.ownerId !== user.id) throw GraphError.param(`(#100) Param creation_id ${id} is not a valid media container`, 100, 2207032);
  if (c.isCarouselItem) throw GraphError.param('(#100) A carousel item cannot be published on its own');
  if (quotaUsage(ctx, user) >= QUOTA) {
    throw new GraphError(9, 'Application request limit reached', { subcode: 2207042, userTitle: 'Maximum posts reached', userMsg: 'You have reached the maximum number of posts that is allowed for an account per day.' });
  }
  const [status] = containerStatus(c);
  if (status === 'PUBLISHED') throw GraphError.param('(#100) This media container has already been published', 100, 2207008);
  if (status === 'ERROR') throw new GraphError(9004, '(#9004) The media could not be fetched from this URI', { subcode: 2207052 });
  if (status !== 'FINISHED') {
    throw new GraphError(9007, 'Media ID is not available', { subcode: 2207027, userTitle: 'Media not ready', userMsg: 'The media is not ready for publishing, please wait for a moment' });
  }
  const m = materialise(ctx, user, c);
  c.publishedMediaId = m.id;
  if (m.media_product_type === 'STORY') user.stories.unshift(m.id);
  else user.media.unshift(m.id);
  ctx.world.publishCount.set(user.id, quotaUsage(ctx, user) + 1);
  return { id: m.id };
}

export function publishingLimit(ctx: Ctx, user: IgUser): unknown {
  requireScopes(ctx.token, ['instagram_basic']);
  return { data: [{ quota_usage: quotaUsage(ctx, user), config: { quota_total: QUOTA, quota_duration: 86400 } }] };
}
