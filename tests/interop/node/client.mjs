// A connect-node client for apicli's interop tests: calls one after another on one transport,
// their outcomes as JSON lines on stdout, so that a test can assert on them. One process makes
// many calls, because starting node costs more than a call.
//
// Usage: node client.mjs --url URL --protocol connect|grpc|grpcweb --http 1.1|2
//            [--codec proto|json] CALL...
// Each CALL is one JSON object:
//   {"method": "SERVICE/METHOD",     e.g. "api.Api/sayHello" or "routeguide.RouteGuide/RouteChat"
//    "data": [JSON, ...],            the requests as proto3 JSON: one for unary and server
//                                    streams (none: an empty one), any number for client streams
//    "headers": {"name": "value"},   request headers (optional)
//    "timeoutMs": N}                 the deadline (optional)
//   --codec   Connect and gRPC-Web only: proto (the default) or json on the wire
// Prints, for the Nth CALL (from 0), lines with "call": N and one of
//   "message": JSON                  a response message, as proto3 JSON
//   "headers": {...}                 the response headers, when they arrived
//   "trailers": {...}                the response trailers, when they arrived
//   "status": {"code": "OK"}         last: the outcome, or {"code": NAME, "message": TEXT,
//                                    "details": [...], "metadata": {...}}, NAME as gRPC names
//                                    it, details as proto3 JSON with "@type", metadata the
//                                    headers and trailers that came with the error
// Exits 0 once every status is printed, whatever they are; 2 on bad usage.

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

let args, positionals;
try {
  ({ values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      protocol: { type: "string", default: "connect" },
      http: { type: "string", default: "2" },
      codec: { type: "string", default: "proto" },
    },
  }));
} catch (err) {
  usage(err.message);
}
if (!URL.canParse(args.url ?? "")) usage(`--url ${args.url ?? ""}: an http:// URL is required`);
if (!["1.1", "2"].includes(args.http)) usage(`--http ${args.http}: use 1.1 or 2`);
if (!["proto", "json"].includes(args.codec)) usage(`--codec ${args.codec}: use proto or json`);

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
const transport = transports[args.protocol]();

/** A CALL argument, checked: its method's descriptor, service client and call options. */
function parseCall(text) {
  let call;
  try {
    call = JSON.parse(text);
  } catch (err) {
    usage(`${text}: not JSON (${err.message})`);
  }
  const [serviceName, methodName] = String(call.method).split("/");
  const service = SERVICES[serviceName];
  if (!service) usage(`${call.method}: the service must be one of ${Object.keys(SERVICES)}`);
  const method = service.methods.find((m) => m.name === methodName || m.localName === methodName);
  if (!method) usage(`${call.method}: ${serviceName} has no such method`);
  return {
    method,
    client: createClient(service, transport),
    requests: (call.data ?? []).map((json) => fromJson(method.input, json)),
    headers: new Headers(call.headers ?? {}),
    timeoutMs: call.timeoutMs,
  };
}

async function* stream(messages) {
  yield* messages;
}

/** Makes one call, printing what arrives, tagged with `index`. */
async function run(index, { method, client, requests, headers, timeoutMs }) {
  const print = (value) => process.stdout.write(`${JSON.stringify({ call: index, ...value })}\n`);
  const printMessage = (message) => print({ message: toJson(method.output, message) });
  const callOptions = {
    headers,
    timeoutMs,
    onHeader: (h) => print({ headers: headersJson(h) }),
    onTrailer: (t) => print({ trailers: headersJson(t) }),
  };
  const call = client[method.localName];
  try {
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
    const metadata = headersJson(ConnectError.from(err).metadata);
    print({ status: { ...errorJson(err), metadata } });
  }
}

const calls = positionals.map(parseCall);
for (const [index, call] of calls.entries()) await run(index, call);
