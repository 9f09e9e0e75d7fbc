// the plugin's own types (@types/markdown-it-container) are written against an older @types/markdown-it;
// markdown.ts names the one signature it uses
declare module "markdown-it-container" {
  const plugin: unknown;
  export default plugin;
}
