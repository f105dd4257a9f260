"""A grpcio client for routeguide.RouteGuide: the four calls of gRPC's Python route-guide example
(guide_get_one_feature, guide_list_features, guide_record_route, guide_route_chat), with their
inputs from the command line instead of the example's fixed ones, for the tests that fake the
server.

Usage: route_guide_client.py ADDR KIND JSON [--metadata KEY=VALUE]... [--timeout SECONDS]
  KIND  get-feature   JSON is a Point
        list-features JSON is a Rectangle
        record-route  JSON is a list of Points, sent one by one
        route-chat    JSON is a list of RouteNotes, sent one by one

ADDR is HOST:PORT (an http:// prefix is dropped). Each response goes to stdout as one compact
proto3 JSON line. stderr gets {"initial_metadata": [[key, value], ...]} once the server's headers
arrive and {"trailing_metadata": [...]} at the end. On an RPC error, stderr gets
{"code": "NAME", "details": "..."} and the exit code is 64 + the status code.

Run after tests/interop/setup.sh, with its venv's python (the stubs live in target/interop/gen).
"""

import argparse
import json
import sys
from pathlib import Path

import grpc
from google.protobuf.json_format import MessageToDict, ParseDict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "target" / "interop" / "gen"))
from route_guide_pb2 import Point, Rectangle, RouteNote  # noqa: E402
from route_guide_pb2_grpc import RouteGuideStub  # noqa: E402


def emit(message):
    print(json.dumps(MessageToDict(message), separators=(",", ":")), flush=True)


def report(key, metadata):
    pairs = [[key_, value if isinstance(value, str) else value.hex()] for key_, value in metadata]
    print(json.dumps({key: pairs}), file=sys.stderr, flush=True)


def guide_get_one_feature(stub, data, options):
    feature, call = stub.GetFeature.with_call(ParseDict(data, Point()), **options)
    report("initial_metadata", call.initial_metadata())
    emit(feature)
    report("trailing_metadata", call.trailing_metadata())


def guide_list_features(stub, data, options):
    call = stub.ListFeatures(ParseDict(data, Rectangle()), **options)
    report("initial_metadata", call.initial_metadata())
    for feature in call:
        emit(feature)
    report("trailing_metadata", call.trailing_metadata())


def guide_record_route(stub, data, options):
    points = iter([ParseDict(point, Point()) for point in data])
    summary, call = stub.RecordRoute.with_call(points, **options)
    report("initial_metadata", call.initial_metadata())
    emit(summary)
    report("trailing_metadata", call.trailing_metadata())


def guide_route_chat(stub, data, options):
    notes = iter([ParseDict(note, RouteNote()) for note in data])
    call = stub.RouteChat(notes, **options)
    report("initial_metadata", call.initial_metadata())
    for note in call:
        emit(note)
    report("trailing_metadata", call.trailing_metadata())


KINDS = {
    "get-feature": guide_get_one_feature,
    "list-features": guide_list_features,
    "record-route": guide_record_route,
    "route-chat": guide_route_chat,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("addr")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("data")
    parser.add_argument("--metadata", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    metadata = [tuple(item.split("=", 1)) for item in args.metadata]
    options = {"metadata": metadata, "timeout": args.timeout}
    target = args.addr.removeprefix("http://").rstrip("/")
    with grpc.insecure_channel(target) as channel:
        try:
            KINDS[args.kind](RouteGuideStub(channel), json.loads(args.data), options)
        except grpc.RpcError as error:
            code = error.code()
            print(
                json.dumps({"code": code.name, "details": error.details()}),
                file=sys.stderr,
                flush=True,
            )
            sys.exit(64 + code.value[0])


if __name__ == "__main__":
    main()
