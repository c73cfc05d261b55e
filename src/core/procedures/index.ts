/** The registry of stored procedures: adding one is adding a file and a line here. */
import type { ProcedureInfo } from '../api';
import { GetOAuthAccessToken } from './get-oauth-access-token';
import { GetOAuthAuthorizationURL } from './get-oauth-authorization-url';
import { PublishMedia } from './publish-media';
import { RefreshOAuthAccessToken } from './refresh-oauth-access-token';
import type { ProcedureDef } from './types';

export const PROCEDURES: readonly ProcedureDef[] = [GetOAuthAuthorizationURL, GetOAuthAccessToken, RefreshOAuthAccessToken, PublishMedia];

export function procedureInfo(p: ProcedureDef): ProcedureInfo {
  return {
    name: p.name,
    description: p.description,
    parameters: p.parameters.map((x) => ({ name: x.name, type: x.type, direction: x.direction, required: x.required, description: x.description })),
  };
}

export { ProcedureRunner } from './runner';
export type { ProcedureDef, ProcedureHost, ProcedureServices } from './types';
