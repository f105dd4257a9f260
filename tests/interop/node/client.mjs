// A connect-node client for apicli's interop tests: one call, its outcome as JSON lines on
// stdout, so that a test can assert on them.
//
// Usage: node client.mjs --url URL --protocol connect|grpc|grpcweb --http 1.1|2
//            --method SERVICE/METHOD [--data JSON]... [--header "NAME: VALUE"]...
//            [--timeout-ms N] [--codec proto|json]
//   --data      the request, as proto3 JSON; repeat it for each message of a client stream
//               (none: one empty message for unary and server streams, none for client streams)
//   --codec     Connect and gRPC-Web only: proto (the default) or json on the wire
// Prints, in order:
//   {"message": JSON}                 for each response message, as proto3 JSON
//   {"headers": {...}}                the response headers, when they arrived
//   {"trailers": {...}}               the response trailers, when they arrived
//   {"status": {"code": "OK"}}        or {"status": {"code": NAME, "message": TEXT, "details": [...]}},
//                                     NAME as gRPC names it, details as proto3 JSON with "@type",
//                                     and the error's "metadata" (headers and trailers in one)
// Exits 0 once the status is printed, whatever it is; 2 on bad usage.

import { parseArgs } from "node:util";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { ConnectError, createClient } from "@connectrpc/connect";
import {
  createConnectTransport, createGrpcTransport, createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { SERVICES, errorJson, headersJson } from "./common.mjs";

function usage(message) {
  process.stderr.write(`client.mjs: ${message}\n`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      url: { type: "string" },
      protocol: { type: "string", default: "connect" },
      http: { type: "string", default: "2" },
      method: { type: "string" },
      data: { type: "string", multiple: true, default: [] },
      header: { type: "string", multiple: true, default: [] },
      "timeout-ms": { type: "string" },
      codec: { type: "string", default: "proto" },
    },
  }));
} catch (err) {
  usage(err.message);
}
if (!args.url) usage("--url is required");
if (!["1.1", "2"].includes(args.http)) usage(`--http ${args.http}: use 1.1 or 2`);
if (!["proto", "json"].includes(args.codec)) usage(`--codec ${args.codec}: use proto or json`);

const [serviceName, methodName] = (args.method ?? "").split("/");
const service = SERVICES[serviceName];
if (!service) usage(`--method ${args.method}: the service must be one of ${Object.keys(SERVICES)}`);
const method = service.methods.find((m) => m.name === methodName || m.localName === methodName);
if (!method) usage(`--method ${args.method}: ${serviceName} has no such method`);

const options = {
  baseUrl: args.url,
  httpVersion: args.http,
  useBinaryFormat: args.codec === "proto",
};
const transports = {
  connect: () => createConnectTransport(options),
  grpcweb: () => createGrpcWebTransport(options),
  grpc: () => {
    if (args.http !== "2") usage("gRPC needs --http 2");
    return createGrpcTransport({ baseUrl: args.url });
  },
};
if (!transports[args.protocol]) usage(`--protocol ${args.protocol}: use connect, grpc or grpcweb`);
const client = createClient(service, transports[args.protocol]());

const headers = new Headers();
for (const header of args.header) {
  const colon = header.indexOf(":");
  if (colon < 1) usage(`--header ${header}: use "NAME: VALUE"`);
  headers.append(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
}

const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const callOptions = {
  headers,
  timeoutMs: args["timeout-ms"] === undefined ? undefined : Number(args["timeout-ms"]),
  onHeader: (h) => print({ headers: headersJson(h) }),
  onTrailer: (t) => print({ trailers: headersJson(t) }),
};
const requests = args.data.map((json) => fromJson(method.input, JSON.parse(json)));
const printMessage = (message) => print({ message: toJson(method.output, message) });

async function* stream(messages) {
  yield* messages;
}

try {
  const call = client[method.localName];
  switch (method.methodKind) {
    case "unary":
      printMessage(await call(requests[0] ?? {}, callOptions));
      break;
    case "server_streaming":
      for await (const message of call(requests[0] ?? {}, callOptions)) printMessage(message);
      break;
    case "client_streaming":
      printMessage(await call(stream(requests), callOptions));
      break;
    case "bidi_streaming":
      for await (const message of call(stream(requests), callOptions)) printMessage(message);
      break;
  }
  print({ status: { code: "OK" } });
} catch (err) {
  // An error's metadata holds the headers and trailers that came with it.
  print({ status: { ...errorJson(err), metadata: headersJson(ConnectError.from(err).metadata) } });
}
