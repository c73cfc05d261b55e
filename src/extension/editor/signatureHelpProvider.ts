/** Signature help for `EXEC Procedure @Param = …`: the procedure's parameters, the one being written active. */
import * as vscode from 'vscode';
import type { LanguageServices } from './languageServices';

export class IgsqlSignatureHelpProvider implements vscode.SignatureHelpProvider {
  static readonly triggers = [' ', ',', '@'];

  constructor(private readonly services: LanguageServices) {}

  async provideSignatureHelp(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.SignatureHelp | undefined> {
    const service = await this.services.current().catch(() => undefined);
    const help = service?.signatureHelp(doc.getText(), doc.offsetAt(position));
    if (!help) return undefined;
    const sig = new vscode.SignatureInformation(help.label, new vscode.MarkdownString(help.procedure.description));
    sig.parameters = help.procedure.parameters
      .filter((p) => p.direction === 'in')
      .map((p) => new vscode.ParameterInformation(`@${p.name} = ${p.type}${p.required ? '' : '?'}`, new vscode.MarkdownString(p.description)));
    const out = new vscode.SignatureHelp();
    out.signatures = [sig];
    out.activeSignature = 0;
    out.activeParameter = help.active;
    return out;
  }
}
