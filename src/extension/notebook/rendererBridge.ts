/** Carries grid requests from the notebook renderer to the host's GridHost and answers to the asking editor. */
import * as vscode from 'vscode';
import type { GridRequest } from '../../webview/grid/protocol';
import type { GridHost } from '../results/gridHost';
import { RENDERER_ID } from './outputs';

export class RendererBridge implements vscode.Disposable {
  private readonly messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  private readonly sub: vscode.Disposable;

  constructor(host: GridHost) {
    this.sub = this.messaging.onDidReceiveMessage(({ editor, message }) => {
      void host.handle(message as GridRequest, (response) => void this.messaging.postMessage(response, editor));
    });
  }

  dispose(): void {
    this.sub.dispose();
  }
}
