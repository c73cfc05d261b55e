/**
 * Signing in and out outside a query, for hosts (`igsql login|logout|whoami`): the same session a connection
 * uses (connection.ts `sessionFor`), so a login stores exactly the record a later query reads.
 */
import type { BusinessAccount, ConnectDeps } from '../api';
import { connect, sessionFor, tokenStoreKey } from '../connection';
import { IgsqlError } from '../errors';
import { parseConnectionProps } from '../props';
import { flavourOf, type Flavour } from './flavours';
import { describeRecord, parseRecord, type TokenRecord } from './record';

export interface SignedIn {
  flavour: Flavour;
  record: Omit<TokenRecord, 'accessToken'>;
  accounts: BusinessAccount[];
}

type Input = string | Readonly<Record<string, string | number | boolean | undefined>>;

function needsStore(deps: ConnectDeps): NonNullable<ConnectDeps['tokenStore']> {
  if (!deps.tokenStore) throw new IgsqlError('INTERNAL', 'Signing in needs a token store.');
  return deps.tokenStore;
}

/** Runs the sign-in through `deps.authorize`, stores the token, and lists the accounts it reaches. */
export async function signIn(input: Input, deps: ConnectDeps & { signal?: AbortSignal }): Promise<SignedIn> {
  const props = parseConnectionProps(input);
  needsStore(deps);
  const record = await sessionFor(props, deps, { addSecret: () => undefined }).signIn(deps.signal);
  return { flavour: flavourOf(props.LoginFlavour), record: describeRecord(record), accounts: await accountsOf(input, deps) };
}

/** Forgets the stored token of this connection's app and flavour; false when there was none. */
export async function signOut(input: Input, deps: ConnectDeps): Promise<boolean> {
  const props = parseConnectionProps(input);
  const store = needsStore(deps);
  const key = tokenStoreKey(props);
  const had = (await store.get(key)) !== undefined;
  await store.delete(key);
  return had;
}

/** The stored sign-in (never the token) and its accounts; undefined when signed out. */
export async function whoAmI(input: Input, deps: ConnectDeps): Promise<SignedIn | undefined> {
  const props = parseConnectionProps(input);
  const record = parseRecord(await needsStore(deps).get(tokenStoreKey(props)));
  if (!record) return undefined;
  return { flavour: flavourOf(props.LoginFlavour), record: describeRecord(record), accounts: await accountsOf(input, deps) };
}

async function accountsOf(input: Input, deps: ConnectDeps): Promise<BusinessAccount[]> {
  const props = parseConnectionProps(input);
  // The stored token, renewed if due (REFRESH), never a new sign-in and never OAuthAccessToken.
  const conn = await connect({ ...Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'OAuthAccessToken')), InitiateOAuth: 'REFRESH' }, { ...deps, authorize: undefined });
  try {
    return await conn.businessAccounts();
  } finally {
    await conn.close();
  }
}
