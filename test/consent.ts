/**
 * Plays the user's browser on the sandbox's consent pages (both login flavours): opens the dialog URL, clicks
 * a button by its id, and returns where the dialog redirected (the address that carries code and state).
 */
import got from 'got';

export async function consent(dialogUrl: string, button = 'allow'): Promise<string> {
  const page = await got(dialogUrl, { throwHttpErrors: false, retry: { limit: 0 } });
  if (page.statusCode !== 200) throw new Error(`the dialog answered ${page.statusCode}: ${page.body.slice(0, 300)}`);
  const m = new RegExp(`id="${button}" href="([^"]*)"`).exec(page.body);
  if (!m) throw new Error(`no button #${button} on the dialog`);
  const href = m[1]!.replace(/&#38;/g, '&').replace(/&amp;/g, '&');
  if (!href.startsWith('/')) return href; // Cancel links straight to the redirect URI
  const allow = await got(new URL(href, dialogUrl).toString(), { followRedirect: false, throwHttpErrors: false, retry: { limit: 0 } });
  if (allow.statusCode !== 302) throw new Error(`Allow answered ${allow.statusCode}`);
  return allow.headers.location!;
}
