// Vocabulary for captions, bios and comments: hashtags, mentions, emoji, the odd URL and null caption,
// so that text columns in tests look like real Instagram text (and exercise UTF-16 surrogate pairs).
import type { Random } from '../random';

export const BRANDS = [
  { username: 'northwind_coffee', name: 'Northwind Coffee Roasters', category: 'Coffee Shop', bio: 'Small-batch roasters since 2009 ☕ Single origin, roasted weekly. Visit us in Portland.', site: 'https://northwind-coffee.example.com' },
  { username: 'lumen.studio', name: 'Lumen Studio', category: 'Photographer', bio: 'Light, shadow & people 📷 Weddings · portraits · editorial. DM for bookings ✨', site: 'https://lumen-studio.example.com' },
  { username: 'trailhead_outfitters', name: 'Trailhead Outfitters', category: 'Outdoor & Sporting Goods Company', bio: 'Gear for the long way round 🏔️ Free repairs for life. #gooutside', site: 'https://trailhead.example.com' },
  { username: 'maison.verde', name: 'Maison Verde', category: 'Home Decor', bio: 'Plants, ceramics and slow living 🌿 Made in Lisbon.', site: 'https://maisonverde.example.com' },
  { username: 'byte.kitchen', name: 'Byte Kitchen', category: 'Restaurant', bio: 'Ramen for programmers 🍜 Open late. Tabs > spaces.', site: 'https://byte-kitchen.example.com' },
  { username: 'aurora_yoga', name: 'Aurora Yoga', category: 'Yoga Studio', bio: 'Breathe in 🧘 Classes for every body, every morning at 7.', site: 'https://aurora-yoga.example.com' },
];

export const FOREIGN_ACCOUNTS = [
  'citybeans', 'pourover.daily', 'marta_travels', 'jon.makes', 'the_green_fork', 'kpop_latte', 'nomad.nina',
  'urban_sketcher', 'bluehour.photos', 'mountain_mo', 'plantdad_leo', 'sara.codes', 'coffee.snob', 'daily_dose_of_art',
];

export const HASHTAGS = [
  'coffee', 'latte', 'morning', 'photography', 'travel', 'hiking', 'outdoors', 'design', 'interior', 'plants',
  'food', 'ramen', 'yoga', 'wellness', 'sunset', 'behindthescenes', 'newarrivals', 'sale', 'community', 'handmade',
];

const EMOJI = ['☕', '✨', '🔥', '🌿', '📷', '🏔️', '❤️', '🙌', '😍', '🍜', '🧘', '🎉', '👀', '💯', '🌅'];

const OPENERS = [
  'New week, new roast', 'Golden hour never disappoints', 'Behind the scenes of our latest shoot',
  'Fresh drop just landed', 'Sunday slow mornings', 'We asked, you answered', 'Meet the team',
  'Throwback to this view', 'Our favourite spot in town', 'Small details matter', 'Weekend plans sorted',
  'Say hello to the new collection', 'Tiny victories', 'Rainy day mood', 'The secret is patience',
];

const CLOSERS = [
  'Tag someone who needs this', 'Link in bio', 'What do you think?', 'Save this for later',
  'Which one is your favourite?', 'See you there', 'Thank you for 10 years', 'More soon',
];

const COMMENTS = [
  'Love this!', 'So beautiful 😍', 'Where is this?', 'Need this in my life', 'Amazing work 🔥', 'Great shot!',
  'Can you ship to Canada?', 'What lens did you use?', 'This made my day', '🙌🙌🙌', 'Is this still available?',
  'Wow', 'Goals ✨', 'Absolutely stunning', 'How much is it?', 'Can\'t wait to visit!', 'Obsessed 💯',
  'Best one yet', 'The colours!', 'Need the recipe please', 'Booked for Saturday 🎉', 'Thank you for sharing',
];

const REPLIES = [
  'Thank you so much! ❤️', 'DM us for details 🙌', 'Yes! Link in bio', 'Glad you like it ✨', 'See you soon!',
  'We ship worldwide 🌍', 'Haha agreed', 'Same here!', '@{user} you have to try it',
];

export function caption(rnd: Random, mentionPool: readonly string[]): string | undefined {
  if (rnd.chance(0.06)) return undefined; // some media have no caption at all
  let text = rnd.pick(OPENERS);
  if (rnd.chance(0.4)) text += ` with @${rnd.pick(mentionPool)}`;
  text += ` ${rnd.pick(EMOJI)}`;
  if (rnd.chance(0.5)) text += ` ${rnd.pick(CLOSERS)}`;
  const tags = rnd.sample(HASHTAGS, rnd.int(0, 5)).map((t) => `#${t}`);
  return tags.length ? `${text}\n\n${tags.join(' ')}` : text;
}

export function commentText(rnd: Random): string {
  const base = rnd.pick(COMMENTS);
  return rnd.chance(0.15) ? `${base} ${rnd.pick(EMOJI)}` : base;
}

export function replyText(rnd: Random, user: string): string {
  return rnd.pick(REPLIES).replace('{user}', user);
}

export function altText(rnd: Random): string | undefined {
  return rnd.chance(0.3) ? rnd.pick(['A cup of coffee on a wooden table', 'Two people hiking at sunset', 'A ceramic vase with green leaves', 'A bowl of ramen', 'A photographer holding a camera']) : undefined;
}

export function fanUsername(rnd: Random): string {
  const a = ['anna', 'leo', 'mika', 'sam', 'noor', 'ivan', 'zoe', 'ravi', 'lena', 'tomas', 'yuki', 'omar', 'ella', 'finn'];
  const b = ['_', '.', ''];
  return `${rnd.pick(a)}${rnd.pick(b)}${rnd.pick(['travels', 'eats', 'photo', 'daily', 'xo', 'design', String(rnd.int(1, 999))])}`;
}
