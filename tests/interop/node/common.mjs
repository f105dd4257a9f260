// What the Connect peers share: the services by name, status names, and errors as JSON.

import { createRegistry, fromBinary, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { Api } from "./gen/api_pb.js";
import { RouteGuide } from "./gen/route_guide_pb.js";
import { file_google_rpc_error_details } from "./gen/google/rpc/error_details_pb.js";

export const SERVICES = { "api.Api": Api, "routeguide.RouteGuide": RouteGuide };

/** The google.rpc error details, to encode and decode them. */
export const registry = createRegistry(file_google_rpc_error_details);

/** gRPC's status names by code, as apicli prints them. */
export const STATUS_NAMES = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
  "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
  "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
];

/** Headers as a plain object, names in lower case; repeated names joined by ", ". */
export function headersJson(headers) {
  const out = {};
  if (headers) {
    for (const [name, value] of headers) out[name] = value;
  }
  return out;
}

/**
 * An error as {code, message, details}: the gRPC name of its code, the message without the
 * "[code]" prefix, and each detail as proto3 JSON with "@type" first (as apicli prints them),
 * or {"@type", "base64"} for a type outside google.rpc's.
 */
export function errorJson(reason) {
  const err = ConnectError.from(reason);
  const details = err.details.map((detail) => {
    if ("desc" in detail) return { "@type": detail.desc.typeName };
    const typeUrl = `type.googleapis.com/${detail.type}`;
    const desc = registry.getMessage(detail.type);
    if (!desc) return { "@type": typeUrl, base64: btoa(String.fromCharCode(...detail.value)) };
    return { "@type": typeUrl, ...toJson(desc, fromBinary(desc, detail.value), { registry }) };
  });
  return { code: STATUS_NAMES[err.code] ?? String(err.code), message: err.rawMessage, details };
}

export { Code, ConnectError };
