/** GetOAuthAuthorizationURL: the Facebook Login dialog URL to open in a browser (no Graph call). */
import { callbackUrl, dialogBase, scopeList } from './oauth-common';
import type { ProcedureDef } from './types';

export const GetOAuthAuthorizationURL: ProcedureDef = {
  name: 'GetOAuthAuthorizationURL',
  description:
    "The Facebook Login URL to open in a browser. After the user allows access, Facebook redirects to CallbackURL with ?code=…&state=…; pass that code to GetOAuthAccessToken as Verifier. Needs OAuthClientId.",
  parameters: [
    { name: 'CallbackURL', type: 'String', direction: 'in', required: false, description: "Redirect URI registered for your app; default: the CallbackURL connection property." },
    { name: 'Scope', type: 'String', direction: 'in', required: false, description: 'Permissions to request, comma-separated; default: the Scope connection property.' },
    { name: 'State', type: 'String', direction: 'in', required: false, description: 'Opaque value returned unchanged with the code; use it to check the redirect is the answer to your request.' },
    { name: 'URL', type: 'String', direction: 'out', required: false, description: 'The authorization URL.' },
  ],
  async run(ctx, args) {
    ctx.requireProps(['OAuthClientId'], 'the authorization URL');
    const url = new URL(dialogBase(ctx.props.ApiBaseURL!, ctx.props.ApiVersion!));
    url.searchParams.set('client_id', ctx.props.OAuthClientId!);
    url.searchParams.set('redirect_uri', callbackUrl(ctx, args, 'GetOAuthAuthorizationURL'));
    if (args.State !== undefined && args.State !== null) url.searchParams.set('state', String(args.State));
    const scope = scopeList(ctx, args);
    if (scope) url.searchParams.set('scope', scope);
    url.searchParams.set('response_type', 'code');
    return [{ URL: url.toString() }];
  },
};
