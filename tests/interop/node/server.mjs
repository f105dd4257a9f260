// A connect-node server for apicli's interop tests: api.Api and routeguide.RouteGuide in all
// three protocols (Connect, gRPC, gRPC-Web) on an h2c port, and in Connect and gRPC-Web on a
// second, HTTP/1.1 port (Node cannot serve both HTTP versions on one cleartext port). Both bind
// 127.0.0.1 on OS-chosen ports; once listening, one JSON line on stdout names them:
//   {"h2c": PORT, "http1": PORT}
//
// Usage: node server.mjs [--stream-interval-ms N] [--cors-origin ORIGIN]... [--db FILE]
//   --stream-interval-ms N  wait N ms before each getStream item (the wait ends at the deadline)
//   --db FILE               RouteGuide's features (default: route_guide_db.json beside this file)
//   --cors-origin ORIGIN    answer browsers from ORIGIN (or *): preflights, and the headers that
//                           Connect and gRPC-Web clients need, exposed
//
// What it answers:
//   api.Api            sayHello → "Hello NAME!"; getAll(length) → items 1..length in one message;
//                      getStream(length) → the same items, one per message. A negative length,
//                      or sayHello of the name "error", fails INVALID_ARGUMENT with a
//                      google.rpc.BadRequest detail.
//   routeguide.RouteGuide  as tests/interop/route_guide_server.py, on route_guide_db.json.
// Request headers, on every method:
//   x-echo-NAME: V         comes back as the response header x-header-NAME: V and the trailer
//                          x-trailer-NAME: V
//   x-answer-status: CODE  fail with that status code (a number), with
//   x-answer-message: TEXT that message, and
//   x-answer-details: JSON those details (a JSON list of google.rpc messages as proto3 JSON Any)
//   x-close-after: N       RouteChat fails ABORTED once it has read N notes
// A call with a deadline gets the response header x-deadline-ms: the milliseconds it had left
// when it arrived.

import http from "node:http";
import http2 from "node:http2";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fromJson } from "@bufbuild/protobuf";
import { AnySchema, anyUnpack } from "@bufbuild/protobuf/wkt";
import { cors } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Api } from "./gen/api_pb.js";
import { RouteGuide } from "./gen/route_guide_pb.js";
import { BadRequestSchema } from "./gen/google/rpc/error_details_pb.js";
import { Code, ConnectError, registry } from "./common.mjs";

const { values: args } = parseArgs({
  options: {
    "stream-interval-ms": { type: "string", default: "0" },
    "cors-origin": { type: "string", multiple: true, default: [] },
    db: { type: "string" },
  },
});
const streamInterval = Number(args["stream-interval-ms"]);
const dbPath = args.db ?? new URL("route_guide_db.json", import.meta.url);
const features = JSON.parse(readFileSync(dbPath, "utf8"));

// --- behaviour every method shares ------------------------------------------------------------

/** Echoes x-echo-* headers, reports the deadline, and fails the call if x-answer-* asks so. */
function observe(ctx) {
  for (const [name, value] of ctx.requestHeader) {
    if (name.startsWith("x-echo-")) {
      const rest = name.slice("x-echo-".length);
      ctx.responseHeader.set(`x-header-${rest}`, value);
      ctx.responseTrailer.set(`x-trailer-${rest}`, value);
    }
  }
  const timeout = ctx.timeoutMs();
  if (timeout !== undefined) ctx.responseHeader.set("x-deadline-ms", String(timeout));
  const status = ctx.requestHeader.get("x-answer-status");
  if (status !== null) {
    const message = ctx.requestHeader.get("x-answer-message") ?? "";
    const details = JSON.parse(ctx.requestHeader.get("x-answer-details") ?? "[]").map((json) => {
      const any = fromJson(AnySchema, json, { registry });
      const desc = registry.getMessage(any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1));
      return { desc, value: anyUnpack(any, registry) };
    });
    throw new ConnectError(message, Number(status), undefined, details);
  }
}

/** INVALID_ARGUMENT with a google.rpc.BadRequest detail naming `field`. */
function badRequest(message, field, description) {
  return new ConnectError(message, Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: { fieldViolations: [{ field, description }] } },
  ]);
}

/** Waits `ms`, or fails with the call's reason (its deadline, or cancel) when it ends first. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(ConnectError.from(signal.reason));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(ConnectError.from(signal.reason, Code.DeadlineExceeded));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

// --- api.Api ----------------------------------------------------------------------------------

const item = (id) => ({ id, name: `name ${id}` });

function checkLength(length) {
  if (length < 0) {
    throw badRequest(`length ${length} is out of range: it must be 0 or more`, "length",
      "must be 0 or more");
  }
}

const api = {
  sayHello(request, ctx) {
    observe(ctx);
    if (request.name === "error") {
      throw badRequest(`no greeting for "error"`, "name", "must not be \"error\"");
    }
    return { message: `Hello ${request.name}!` };
  },
  getAll(request, ctx) {
    observe(ctx);
    checkLength(request.length);
    return { items: Array.from({ length: request.length }, (_, i) => item(i + 1)) };
  },
  async *getStream(request, ctx) {
    observe(ctx);
    checkLength(request.length);
    for (let id = 1; id <= request.length; id++) {
      if (streamInterval > 0) await sleep(streamInterval, ctx.signal);
      yield item(id);
    }
  },
};

// --- routeguide.RouteGuide, as gRPC's examples serve it ----------------------------------------

const samePoint = (a, b) => a.latitude === b.latitude && a.longitude === b.longitude;
const featureAt = (point) => features.find((f) => samePoint(f.location, point));

/** The great-circle distance between two points, in metres (haversine, R = 6371 km). */
function distance(start, end) {
  const rad = (e7) => (e7 / 1e7) * (Math.PI / 180);
  const dLat = rad(end.latitude) - rad(start.latitude);
  const dLon = rad(end.longitude) - rad(start.longitude);
  const a = Math.sin(dLat / 2) ** 2
    + Math.cos(rad(start.latitude)) * Math.cos(rad(end.latitude)) * Math.sin(dLon / 2) ** 2;
  return 6371000 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

const routeGuide = {
  getFeature(point, ctx) {
    observe(ctx);
    return featureAt(point) ?? { name: "", location: point };
  },
  async *listFeatures(rect, ctx) {
    observe(ctx);
    const lo = rect.lo ?? { latitude: 0, longitude: 0 };
    const hi = rect.hi ?? { latitude: 0, longitude: 0 };
    const [left, right] = [Math.min(lo.longitude, hi.longitude), Math.max(lo.longitude, hi.longitude)];
    const [bottom, top] = [Math.min(lo.latitude, hi.latitude), Math.max(lo.latitude, hi.latitude)];
    for (const f of features) {
      const { latitude, longitude } = f.location;
      if (left <= longitude && longitude <= right && bottom <= latitude && latitude <= top) yield f;
    }
  },
  async recordRoute(points, ctx) {
    observe(ctx);
    const start = Date.now();
    let pointCount = 0, featureCount = 0, metres = 0, previous;
    for await (const point of points) {
      pointCount++;
      if (featureAt(point)?.name) featureCount++;
      if (previous) metres += distance(previous, point);
      previous = point;
    }
    return {
      pointCount, featureCount, distance: Math.trunc(metres),
      elapsedTime: Math.trunc((Date.now() - start) / 1000),
    };
  },
  async *routeChat(notes, ctx) {
    observe(ctx);
    const closeAfter = ctx.requestHeader.get("x-close-after");
    const previous = [];
    for await (const note of notes) {
      for (const old of previous) {
        if (old.location && note.location && samePoint(old.location, note.location)) yield old;
      }
      previous.push(note);
      if (closeAfter !== null && previous.length >= Number(closeAfter)) {
        throw new ConnectError(`closed after ${closeAfter} notes`, Code.Aborted);
      }
    }
  },
};

// --- serving ----------------------------------------------------------------------------------

function routes(router) {
  router.service(Api, api);
  router.service(RouteGuide, routeGuide);
}

const exposed = [
  ...cors.exposedHeaders, "x-deadline-ms", "x-header-page", "x-trailer-page",
  "trailer-x-trailer-page",
].join(", ");

/** `handler`, with CORS for the origins of --cors-origin (none: no CORS headers at all). */
function withCors(handler) {
  const origins = args["cors-origin"];
  if (origins.length === 0) return handler;
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin && (origins.includes("*") || origins.includes(origin))) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("vary", "origin");
      res.setHeader("access-control-expose-headers", exposed);
      if (req.method === "OPTIONS") {
        res.setHeader("access-control-allow-methods", cors.allowedMethods.join(", "));
        const asked = req.headers["access-control-request-headers"];
        res.setHeader("access-control-allow-headers", asked ?? cors.allowedHeaders.join(", "));
        res.setHeader("access-control-max-age", "7200");
        res.writeHead(204);
        res.end();
        return;
      }
    }
    handler(req, res);
  };
}

const listen = (server) => new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(0, "127.0.0.1", () => resolve(server.address().port));
});

const h2c = http2.createServer(withCors(connectNodeAdapter({ routes, connect: true, grpc: true, grpcWeb: true })));
const http1 = http.createServer(withCors(connectNodeAdapter({ routes, connect: true, grpc: false, grpcWeb: true })));
const ports = { h2c: await listen(h2c), http1: await listen(http1) };
process.stdout.write(`${JSON.stringify(ports)}\n`);
