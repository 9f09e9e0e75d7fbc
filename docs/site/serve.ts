import { existsSync, readFileSync, statSync, watch } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import path from "node:path";
import type { BuildResult } from "./build.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** serves a built site from `out`; `/__reload` streams a message each time `notify` is called */
export function serveSite(out: string, port: number, host = "127.0.0.1") {
  const clients = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", `http://${host}`);
    if (url.pathname === "/__reload") {
      response.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      response.write(": connected\n\n");
      clients.add(response);
      request.on("close", () => clients.delete(response));
      return;
    }
    const relative = decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname);
    const file = path.join(out, path.normalize(relative).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(out) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${relative}`);
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    response.end(readFileSync(file));
  });
  return {
    server,
    listening: new Promise<number>((resolve) =>
      server.listen(port, host, () => resolve((server.address() as { port: number }).port)),
    ),
    notify: () => {
      for (const client of clients) client.write("data: reload\n\n");
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
      }),
  };
}

/** rebuilds the site whenever a chapter, kata, spec, guide, asset or the progress changes; returns a stop function */
export function watchAndRebuild(
  root: string,
  rebuild: () => Promise<BuildResult>,
  onBuilt: (result: BuildResult) => void,
): () => void {
  const watched = ["chapters", "katas", "grader/specs", "docs", ".grade"]
    .map((dir) => path.join(root, dir))
    .filter(existsSync);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const schedule = (file: string | null) => {
    if (file?.includes("dist")) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => onBuilt(await rebuild()));
    }, 150);
  };
  const watchers = watched.map((dir) => watch(dir, { recursive: true }, (_event, file) => schedule(file)));
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
