"""A grpcio client for api.Api, the interop peer that talks to `apicli serve`.

Usage: client.py ADDR hello NAME | get-all N | stream N
         [--metadata KEY=VALUE]... [--timeout SECONDS] [--cancel-after N]

ADDR is HOST:PORT (an http:// prefix is dropped). Values of `-bin` keys are given in base64.
Each response goes to stdout as one compact proto3 JSON line; the initial metadata goes to stderr
as {"initial_metadata": [[key, value], ...]}. On an RPC error, stderr gets
{"code": "NAME", "details": "..."} and the exit code is 64 + the status code.
--cancel-after N cancels a stream after N items and exits 0.

Run after tests/interop/setup.sh, with its venv's python (the stubs live in target/interop/gen).
"""

import argparse
import base64
import json
import sys
from pathlib import Path

import grpc
from google.protobuf.json_format import MessageToDict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "target" / "interop" / "gen"))
from api_pb2 import ApiRequest, HelloRequest  # noqa: E402
from api_pb2_grpc import ApiStub  # noqa: E402


def target(addr):
    """HOST:PORT for grpc.insecure_channel."""
    return addr.removeprefix("http://").rstrip("/")


def metadata_pairs(metadata):
    """[[key, value], ...] with binary (`-bin`) values base64-encoded."""
    return [
        [key, base64.b64encode(value).decode() if key.endswith("-bin") else value]
        for key, value in metadata or ()
    ]


def parse_metadata(items):
    """KEY=VALUE strings as grpcio metadata; `-bin` values are decoded from base64."""
    metadata = []
    for item in items:
        key, _, value = item.partition("=")
        key = key.strip().lower()
        metadata.append((key, base64.b64decode(value) if key.endswith("-bin") else value))
    return metadata


def emit(message):
    print(json.dumps(MessageToDict(message), separators=(",", ":")), flush=True)


def report(key, value):
    print(json.dumps({key: value}), file=sys.stderr, flush=True)


def exit_on_rpc_error(error):
    """Prints the status of a failed call and exits with 64 + its code."""
    code = error.code()
    print(json.dumps({"code": code.name, "details": error.details()}), file=sys.stderr, flush=True)
    sys.exit(64 + code.value[0])


def call(stub, args):
    options = {"metadata": parse_metadata(args.metadata), "timeout": args.timeout}
    if args.method == "hello":
        response, rpc = stub.sayHello.with_call(HelloRequest(name=args.arg), **options)
        report("initial_metadata", metadata_pairs(rpc.initial_metadata()))
        emit(response)
    elif args.method == "get-all":
        response, rpc = stub.getAll.with_call(ApiRequest(length=int(args.arg)), **options)
        report("initial_metadata", metadata_pairs(rpc.initial_metadata()))
        emit(response)
    else:
        rpc = stub.getStream(ApiRequest(length=int(args.arg)), **options)
        report("initial_metadata", metadata_pairs(rpc.initial_metadata()))
        for count, item in enumerate(rpc, start=1):
            emit(item)
            if count == args.cancel_after:
                rpc.cancel()
                report("cancelled_after", count)
                return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("addr")
    parser.add_argument("method", choices=["hello", "get-all", "stream"])
    parser.add_argument("arg", help="NAME for hello, N for get-all and stream")
    parser.add_argument("--metadata", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--timeout", type=float, metavar="SECONDS")
    parser.add_argument("--cancel-after", type=int, metavar="N")
    args = parser.parse_args()

    with grpc.insecure_channel(target(args.addr)) as channel:
        try:
            call(ApiStub(channel), args)
        except grpc.RpcError as error:
            exit_on_rpc_error(error)


if __name__ == "__main__":
    main()
