/** Messages between the query console webview and the extension host (both sides import these types). */
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
  | { type: 'cancel' };

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
  | { type: 'result'; columns: string[]; rows: Array<Array<string | null>>; truncated: boolean; summary: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'cancelled' };
