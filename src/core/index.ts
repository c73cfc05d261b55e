/** The connector core's entry point. Host-free: never imports `vscode` (a test enforces it). */
export * from './api';
export * from './errors';
export { connect, tableInfo, tokenStoreKey, oauthApp, DEFAULT_CALLBACK_URL } from './connection';
export { parseConnectionProps, splitConnectionString, PROPERTY_SPECS, isSecretProperty, redactProps, DEFAULT_API_BASE_URL, DEFAULT_API_VERSION } from './props';
export type { ConnectionProps, PropertySpec } from './props';
export { splitStatements, statementAt, tokenize, lineColumn } from './sql/tokenize';
export type { Statement, Token } from './sql/tokenize';
export { redact } from './log';
