// esbuild loads .css as text for the webview bundles (build.mjs): the renderer injects it as a <style>.
declare module '*.css' {
  const text: string;
  export default text;
}
