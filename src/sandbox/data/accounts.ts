// Facebook Pages and the Instagram professional accounts linked to them, plus a few foreign accounts that
// appear in tags and business discovery. One extra page has no Instagram account (Graph omits the field).
import { Random } from '../random';
import { BRANDS, FOREIGN_ACCOUNTS } from './text';
import type { IgUser, World } from './types';

export function profilePicture(id: string): string {
  return `https://scontent.sandbox.invalid/v/t51.2885-19/${id}_profile.jpg`;
}

export function addAccounts(world: World, count: number): void {
  const rnd = Random.derive(world.seed, 'accounts');
  for (let i = 0; i < count; i++) {
    const brand = BRANDS[i % BRANDS.length]!;
    const suffix = i < BRANDS.length ? '' : `_${Math.floor(i / BRANDS.length) + 1}`;
    const pageId = world.nextId('1');
    const igId = world.nextId('1784140');
    const followers = Math.round(1000 * Math.pow(200, rnd.next())); // log-uniform 1k … 200k
    world.pages.push({
      id: pageId,
      name: brand.name + (suffix ? ` ${suffix.slice(1)}` : ''),
      category: brand.category,
      link: `https://www.facebook.com/${pageId}`,
      followers_count: Math.round(followers * (0.3 + rnd.next() * 0.5)),
      igUserId: igId,
      access_token: `EAAsandboxPage${pageId}`,
    });
    const user: IgUser = {
      id: igId,
      ig_id: Number(rnd.digits(10).replace(/^0/, '1')),
      username: brand.username + suffix,
      name: brand.name,
      biography: brand.bio,
      website: brand.site,
      profile_picture_url: profilePicture(igId),
      followers_count: followers,
      follows_count: rnd.int(50, 1500),
      pageId,
      managed: true,
      media: [],
      stories: [],
      tags: [],
    };
    world.users.set(igId, user);
  }
  const lonelyId = world.nextId('1');
  world.pages.push({
    id: lonelyId,
    name: 'Sandbox Community Noticeboard',
    category: 'Community',
    link: `https://www.facebook.com/${lonelyId}`,
    followers_count: rnd.int(40, 900),
    access_token: `EAAsandboxPage${lonelyId}`,
  });
}

export function addForeignAccounts(world: World): IgUser[] {
  const rnd = Random.derive(world.seed, 'foreign');
  return FOREIGN_ACCOUNTS.map((username) => {
    const id = world.nextId('1784140');
    const user: IgUser = {
      id,
      ig_id: Number(rnd.digits(10).replace(/^0/, '1')),
      username,
      name: username.replace(/[._]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()).trim(),
      biography: `Just ${username.replace(/[._]/g, ' ')} things ✨`,
      website: `https://${username.replace(/[._]/g, '')}.example.org`,
      profile_picture_url: profilePicture(id),
      followers_count: rnd.longTail(3000) + rnd.int(100, 5000),
      follows_count: rnd.int(100, 3000),
      managed: false,
      media: [],
      stories: [],
      tags: [],
      foreignMediaCount: rnd.int(20, 900),
    };
    world.users.set(id, user);
    return user;
  });
}
