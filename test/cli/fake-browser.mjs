#!/usr/bin/env node
// A stand-in for the user's browser, used as $BROWSER by the CLI login tests: opens the sandbox dialog,
// clicks Allow (or the button named in FAKE_BROWSER_BUTTON), then follows the redirect to the loopback
// callback, accepting its certificate (made at run time by igsql) as a user clicking through the warning would.
import { get as httpsGet } from 'node:https';
import { get as httpGet } from 'node:http';

const url = process.argv[2];
const button = process.env.FAKE_BROWSER_BUTTON || 'allow';
const page = await (await fetch(url)).text();
const m = new RegExp(`id="${button}" href="([^"]*)"`).exec(page);
if (!m) { console.error('no button'); process.exit(3); }
const allow = await fetch(new URL(m[1].replace(/&#38;/g, '&').replace(/&amp;/g, '&'), url), { redirect: 'manual' });
const target = allow.headers.get('location');
await new Promise((resolve, reject) => {
  const get = target.startsWith('https:') ? httpsGet : httpGet;
  get(target, { rejectUnauthorized: false }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
});
