"""A grpcio health client (grpc.health.v1): calls Check on one service of a server.

Usage: health_check.py ADDR [SERVICE] [--timeout SECONDS]

Prints {"status": "SERVING"} (or the status it got) on stdout and exits 0. On an RPC error,
stderr gets {"code": "NAME", "details": "..."} and the exit code is 64 + the status code.
Run with the venv python of tests/interop/setup.sh.
"""

import argparse
import json

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from client import exit_on_rpc_error, target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("addr")
    parser.add_argument("service", nargs="?", default="", help='default "" (the whole server)')
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    args = parser.parse_args()

    with grpc.insecure_channel(target(args.addr)) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            response = stub.Check(
                health_pb2.HealthCheckRequest(service=args.service), timeout=args.timeout
            )
        except grpc.RpcError as error:
            exit_on_rpc_error(error)
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
    print(json.dumps({"status": status}), flush=True)


if __name__ == "__main__":
    main()
