// The browser page of apicli's interop tests, bundled by esbuild with connect-web: it calls
// api.Api on the server of its query, in each protocol asked, and reports what it saw.
//
// Query: ?server=URL&protocols=connect-json,connect-proto,grpcweb
// For each protocol: sayHello("browser") with the header x-echo-page, getStream(3), and
// getAll(-1), which servers refuse with INVALID_ARGUMENT. The report, one JSON object keyed by
// protocol, goes into <pre id="results">, and is POSTed to /report on the page's own origin
// (where tests/interop/node/static.mjs prints it). Then the title becomes "done".

import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { toJson } from "@bufbuild/protobuf";
import { Api, HelloSchema, ItemSchema } from "./gen/api_pb.js";
import { errorJson, headersJson } from "./common.mjs";

const query = new URLSearchParams(location.search);
const baseUrl = query.get("server");
const protocols = (query.get("protocols") ?? "connect-json,connect-proto,grpcweb").split(",");

const transports = {
  "connect-json": () => createConnectTransport({ baseUrl, useBinaryFormat: false }),
  "connect-proto": () => createConnectTransport({ baseUrl, useBinaryFormat: true }),
  grpcweb: () => createGrpcWebTransport({ baseUrl }),
};

/** The outcome of `run`: what it returned, or the error as {code, message, details}. */
async function outcome(run) {
  try {
    return await run();
  } catch (err) {
    return { error: errorJson(err) };
  }
}

async function calls(protocol) {
  if (!transports[protocol]) return { error: { code: "UNKNOWN", message: `no protocol ${protocol}` } };
  const client = createClient(Api, transports[protocol]());
  const seen = {};
  seen.hello = await outcome(async () => {
    let headers = {}, trailers = {};
    const reply = await client.sayHello({ name: "browser" }, {
      headers: { "x-echo-page": protocol },
      onHeader: (h) => { headers = headersJson(h); },
      onTrailer: (t) => { trailers = headersJson(t); },
    });
    return {
      message: toJson(HelloSchema, reply),
      echoedHeader: headers["x-header-page"] ?? null,
      echoedTrailer: trailers["x-trailer-page"] ?? null,
    };
  });
  seen.stream = await outcome(async () => {
    const items = [];
    for await (const item of client.getStream({ length: 3 })) items.push(toJson(ItemSchema, item));
    return { items };
  });
  seen.error = await outcome(async () => {
    await client.getAll({ length: -1 });
    return { unexpected: "getAll(-1) succeeded" };
  });
  return seen;
}

const report = {};
for (const protocol of protocols) report[protocol] = await calls(protocol);
const text = JSON.stringify(report);
document.getElementById("results").textContent = text;
await fetch("/report", { method: "POST", body: text });
document.title = "done";
