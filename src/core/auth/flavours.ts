/**
 * The login flavours (DESIGN §10, GRAPH-2026 §Login flavours): one entry per way Meta lets a user sign in, each
 * declaring its hosts, dialog, token exchanges, scopes, how it finds the user's accounts and which tables it
 * can serve. Everything that differs between Facebook Login for Business and Business Login for Instagram is
 * read from here; the rest of the core asks the table, never `if (instagram)`.
 *
 * - [FLFB] https://developers.facebook.com/docs/facebook-login/facebook-login-for-business
 *   and the manual flow https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
 *   (PKCE: …/guides/advanced/oidc-token, `code_challenge` + `code_verifier`).
 * - [IGLOGIN] https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
 */
import { IgsqlError } from '../errors';

export type FlavourId = 'FACEBOOK' | 'INSTAGRAM';

export interface Flavour {
  id: FlavourId;
  /** What people call it, for messages and the UI. */
  title: string;
  /** The public Graph host this flavour's tokens work on (ApiBaseURL's default). */
  graphHost: string;
  /** The consent dialog on the public hosts: `{version}` is replaced by ApiVersion. */
  dialog: string;
  /** The dialog's path when ApiBaseURL points elsewhere (the sandbox serves every host of a flavour itself). */
  dialogPath: string;
  /** Where the authorization code is exchanged (public host), and its path elsewhere. */
  codeExchange: { url: string; path: string; method: 'GET' | 'POST' };
  /** The dialog accepts `code_challenge` (S256) and the exchange `code_verifier`. */
  pkce: boolean;
  /** Scopes asked for when the Scope property is not set. */
  defaultScopes: readonly string[];
  /**
   * The scope of this flavour that grants what a table's (Facebook-named) scope grants; null when this
   * flavour has no such permission (the table is then not served).
   */
  scopeFor(facebookScope: string): string | null;
  /** Tables this flavour cannot serve (by name, lower case). */
  unserved: ReadonlySet<string>;
  /** How the user's Instagram accounts are found, in words, for the "no linked account" error. */
  linkHint: string;
}

const FB_SCOPES = [
  'instagram_basic', 'instagram_manage_comments', 'instagram_manage_insights', 'instagram_content_publish',
  'pages_show_list', 'pages_read_engagement', 'business_management',
];

/** Facebook scope → Business Login for Instagram scope [IGLOGIN]; the `business_*` names stopped 2025-01-27. */
const IG_SCOPE: Record<string, string> = {
  instagram_basic: 'instagram_business_basic',
  instagram_manage_comments: 'instagram_business_manage_comments',
  instagram_manage_insights: 'instagram_business_manage_insights',
  instagram_content_publish: 'instagram_business_content_publish',
  instagram_manage_messages: 'instagram_business_manage_messages',
};

export const FLAVOURS: Readonly<Record<FlavourId, Flavour>> = {
  FACEBOOK: {
    id: 'FACEBOOK',
    title: 'Facebook Login for Business',
    graphHost: 'https://graph.facebook.com',
    dialog: 'https://www.facebook.com/{version}/dialog/oauth',
    dialogPath: '/dialog/oauth',
    codeExchange: { url: 'https://graph.facebook.com/{version}/oauth/access_token', path: '/{version}/oauth/access_token', method: 'GET' },
    pkce: true,
    defaultScopes: FB_SCOPES,
    scopeFor: (s) => s,
    unserved: new Set(),
    linkHint: 'link an Instagram professional account to a Facebook Page you manage (Instagram app: Settings → Account type and tools → Linked Facebook Page), then sign in again and select that Page',
  },
  INSTAGRAM: {
    id: 'INSTAGRAM',
    title: 'Business Login for Instagram',
    graphHost: 'https://graph.instagram.com',
    dialog: 'https://www.instagram.com/oauth/authorize',
    dialogPath: '/oauth/authorize',
    codeExchange: { url: 'https://api.instagram.com/oauth/access_token', path: '/oauth/access_token', method: 'POST' },
    // The Instagram authorization window documents no code_challenge parameter.
    pkce: false,
    defaultScopes: ['instagram_business_basic', 'instagram_business_manage_comments', 'instagram_business_manage_insights', 'instagram_business_content_publish'],
    scopeFor: (s) => IG_SCOPE[s] ?? null,
    // Hashtag search and business discovery exist only on graph.facebook.com; Pages and /me/permissions are
    // Facebook objects (an Instagram token's grants come with the code exchange).
    unserved: new Set(['pages', 'instagrampages', 'permissions', 'hashtagsearch', 'hashtagtopmedia', 'hashtagrecentmedia', 'businessdiscovery']),
    linkHint: 'switch the Instagram account to a professional (business or creator) account in the Instagram app (Settings → Account type and tools), then sign in again',
  },
};

export function flavourOf(value: string | undefined): Flavour {
  return FLAVOURS[(value ?? 'FACEBOOK').toUpperCase() as FlavourId] ?? FLAVOURS.FACEBOOK;
}

/** The public Graph hosts: any other ApiBaseURL (a proxy, the sandbox) serves the flavour's dialog and exchanges itself. */
export function isPublicHost(apiBaseUrl: string): boolean {
  const host = new URL(apiBaseUrl).hostname.toLowerCase();
  return Object.values(FLAVOURS).some((f) => new URL(f.graphHost).hostname === host);
}

function onBase(apiBaseUrl: string, path: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}${path}`;
}

export function dialogUrl(f: Flavour, apiBaseUrl: string, version: string): string {
  return isPublicHost(apiBaseUrl) ? f.dialog.replace('{version}', version) : onBase(apiBaseUrl, f.dialogPath);
}

export function codeExchangeUrl(f: Flavour, apiBaseUrl: string, version: string): string {
  return isPublicHost(apiBaseUrl) ? f.codeExchange.url.replace('{version}', version) : onBase(apiBaseUrl, f.codeExchange.path.replace('{version}', version));
}

/** Scopes a table needs, in the flavour's names; null when the flavour cannot serve it. */
export function tableScopes(f: Flavour, scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => f.scopeFor(s)).filter((s): s is string => s !== null))];
}

/** The error for a table the flavour cannot serve, naming the flavour that can. */
export function unservedError(f: Flavour, table: string): IgsqlError {
  const other = Object.values(FLAVOURS).find((o) => o.id !== f.id && !o.unserved.has(table.toLowerCase()));
  return new IgsqlError(
    'PERMISSION_DENIED',
    `${table} is not available with ${f.title} (this connection's LoginFlavour=${f.id}).${other ? ` It needs ${other.title}: add a connection with LoginFlavour=${other.id} and sign in with it.` : ''}`,
    { scopes: [] },
  );
}
