/**
 * The notebook renderer for `application/vnd.igsql.result+json` (DESIGN §9): the shared ResultView in each
 * output. Requests for row windows go to the extension host through renderer messaging; answers are routed to
 * the view of their result. Without messaging (or once the host forgot the result) the view shows the rows the
 * output carries.
 */
import gridCss from '../grid/grid.css';
import uplotCss from 'uplot/dist/uPlot.min.css';
import type { GridRequest, GridResponse, GridResult } from '../grid/protocol';
import { ResultView } from '../grid/view';

// The small part of the vscode-notebook-renderer API this renderer uses.
interface OutputItem { id: string; mime: string; json(): unknown }
interface RendererContext {
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): { dispose(): void };
}

const views = new Map<string, ResultView>();
let styled = false;

export function activate(context: RendererContext) {
  context.onDidReceiveMessage?.((m) => {
    const message = m as GridResponse;
    for (const v of views.values()) v.receive(message);
  });
  const post = context.postMessage ? (m: GridRequest) => context.postMessage!(m) : undefined;
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement) {
      if (!styled) {
        const style = document.createElement('style');
        style.textContent = `${uplotCss}\n${gridCss}`;
        document.head.append(style);
        styled = true;
      }
      views.get(item.id)?.dispose();
      const view = new ResultView(item.json() as GridResult, post);
      views.set(item.id, view);
      element.replaceChildren(view.element);
      view.mount();
    },
    disposeOutputItem(id?: string) {
      for (const [key, v] of views) if (id === undefined || key === id) { v.dispose(); views.delete(key); }
    },
  };
}
