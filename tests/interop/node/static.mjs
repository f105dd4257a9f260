// A tiny static server for the interop tests' browser page: serves web/ beside this file on
// 127.0.0.1, port 0, so that the page's origin differs from the API server's (and CORS is
// needed). Prints {"port": N} on stdout when listening, then each body POSTed to /report as
// {"report": BODY} on a line of its own.
// Usage: node static.mjs

import http from "node:http";
import { readFile } from "node:fs/promises";

const root = new URL("web/", import.meta.url);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  if (req.method === "POST" && path === "/report") {
    let body = "";
    for await (const chunk of req) body += chunk;
    let report;
    try {
      report = JSON.parse(body);
    } catch {
      report = { unparsed: body };
    }
    process.stdout.write(`${JSON.stringify({ report })}\n`);
    res.writeHead(204).end();
    return;
  }
  const name = path === "/" ? "index.html" : path.slice(1);
  const type = types[name.slice(name.lastIndexOf("."))];
  if (req.method !== "GET" || name.includes("/") || !type) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(new URL(name, root));
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
