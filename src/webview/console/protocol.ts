/**
 * Messages between the query console webview and the extension host (both sides import these types). The
 * results grid under the editor speaks the shared grid protocol (GridRequest / GridResponse) on the same channel.
 */
import type { GridRequest, GridResponse, GridResult } from '../grid/protocol';

export interface CompletionItemMessage {
  label: string;
  kind: string;
  detail?: string;
  documentation?: string;
  insertText?: string;
  snippet?: boolean;
  sortText: string;
}

export type ToHost =
  | { type: 'ready' }
  | { type: 'complete'; id: number; text: string; offset: number }
  | { type: 'hover'; id: number; text: string; offset: number }
  | { type: 'diagnose'; id: number; text: string }
  | { type: 'run'; text: string; offset: number; selection?: { start: number; end: number } }
  | { type: 'cancel' }
  | GridRequest;

export interface MarkerMessage {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'information';
  message: string;
  code: string;
}

export type ToWebview =
  | { type: 'init'; sql: string; target: string }
  | { type: 'target'; target: string }
  | { type: 'completions'; id: number; items: CompletionItemMessage[]; from: number; to: number }
  | { type: 'hover'; id: number; contents?: string; from?: number; to?: number }
  | { type: 'diagnostics'; id: number; markers: MarkerMessage[] }
  | { type: 'running'; title: string }
  /** The rows stay in the host; the grid gets the first ones and pulls windows (GridRequest 'rows'). */
  | { type: 'result'; result: GridResult; summary: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'cancelled' }
  | GridResponse;
