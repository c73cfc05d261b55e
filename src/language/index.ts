/** The language service (issue 9): completion, hover, diagnostics with estimated Graph calls. Host-free. */
export { LanguageService, loadWorkload, workloadFromAccounts } from './service';
export type { ExplainReport, LanguageServiceSource, SignatureHelp } from './service';
export type { CompletionItem, CompletionList, ItemKind } from './completion';
export type { Diagnostic, Severity } from './diagnostics';
export { WARN_CALLS } from './diagnostics';
export type { Hover } from './hover';
export type { Workload, Estimate } from './estimate';
export { estimateCalls } from './estimate';
export type { Statement } from './statements';
export { warmUp } from './parser';
