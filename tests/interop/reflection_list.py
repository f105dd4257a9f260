"""A grpcio reflection client (grpc.reflection.v1alpha): lists the services of a server.

Usage: reflection_list.py ADDR [--timeout SECONDS]

Prints {"services": ["api.Api", ...]} on stdout and exits 0. On an RPC error, stderr gets
{"code": "NAME", "details": "..."} and the exit code is 64 + the status code.
Run with the venv python of tests/interop/setup.sh.
"""

import argparse
import json

import grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from client import exit_on_rpc_error, target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("addr")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    args = parser.parse_args()

    with grpc.insecure_channel(target(args.addr)) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        try:
            responses = list(stub.ServerReflectionInfo(iter([request]), timeout=args.timeout))
        except grpc.RpcError as error:
            exit_on_rpc_error(error)
    services = [
        service.name
        for response in responses
        for service in response.list_services_response.service
    ]
    print(json.dumps({"services": services}), flush=True)


if __name__ == "__main__":
    main()
