/** The connector core's entry point. Host-free: never imports `vscode` (a test enforces it). */
export * from './api';
export * from './errors';
export { connect, prepareEngine, tableInfo, tokenStoreKey, oauthApp, DEFAULT_CALLBACK_URL } from './connection';
export { parseConnectionProps, splitConnectionString, PROPERTY_SPECS, isSecretProperty, redactProps, DEFAULT_API_BASE_URL, DEFAULT_API_VERSION } from './props';
export type { ConnectionProps, PropertySpec } from './props';
export { splitStatements, statementAt, tokenize, lineColumn } from './sql/tokenize';
export type { Statement, Token } from './sql/tokenize';
export { redact } from './log';
export { signIn, signOut, whoAmI, type SignedIn } from './auth/accounts';
export { FileTokenStore, defaultSettingsLocation } from './auth/file-store';
export { FLAVOURS, flavourOf, type Flavour, type FlavourId } from './auth/flavours';
export { beginSignIn, PendingSignIns, OAuthClient, SIGN_IN_TIMEOUT_MS, type PendingSignIn, type OAuthApp } from './auth/oauth';
export { parseRecord, serializeRecord, describeRecord, type TokenRecord } from './auth/record';
