"""A grpcio server for api.Api, the interop peer that apicli talks to.

Same answers as the seed's server (sayHello, getAll, getStream), plus what the tests need:
  --port 0               bind 127.0.0.1 on an OS-chosen port; prints `listening on 127.0.0.1:PORT`
  --stream-interval S    sleep S seconds before each stream item; stop once the call is inactive
  --log FILE             append one JSON line per call: method, metadata, time_remaining
Request metadata `x-answer-status: CODE` (a number) and optional `x-answer-message: TEXT` make any
method abort with that grpc.StatusCode and message.

Run after tests/interop/setup.sh, with its venv's python (the stubs live in target/interop/gen).
"""

import argparse
import base64
import json
import sys
import threading
import time
from concurrent import futures
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "target" / "interop" / "gen"))
from api_pb2 import Hello, Item, Items  # noqa: E402
from api_pb2_grpc import ApiServicer, add_ApiServicer_to_server  # noqa: E402

STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


def metadata_pairs(metadata):
    """[[key, value], ...] with binary (`-bin`) values base64-encoded."""
    return [
        [key, base64.b64encode(value).decode() if key.endswith("-bin") else value]
        for key, value in metadata or ()
    ]


def time_remaining(context):
    """Seconds left before the call's deadline, or None without one.

    grpcio reports "no deadline" as a huge number of seconds (an infinite deadline).
    """
    remaining = context.time_remaining()
    return remaining if remaining is not None and remaining < 1e9 else None


class ApiServer(ApiServicer):
    def __init__(self, stream_interval=0.0, log_path=None):
        self.stream_interval = stream_interval
        self.log_path = log_path
        self.log_lock = threading.Lock()

    def observe(self, method, context):
        """Logs the call, then aborts it if the client asked for a status."""
        metadata = dict(context.invocation_metadata())
        if self.log_path:
            line = json.dumps({
                "method": method,
                "metadata": metadata_pairs(context.invocation_metadata()),
                "time_remaining": time_remaining(context),
            })
            with self.log_lock, open(self.log_path, "a") as log:
                log.write(line + "\n")
                log.flush()
        if "x-answer-status" in metadata:
            code = STATUS_BY_NUMBER[int(metadata["x-answer-status"])]
            context.abort(code, metadata.get("x-answer-message", ""))

    def getAll(self, request, context):
        self.observe("getAll", context)
        return Items(items=[Item(id=i, name=f"name {i}") for i in range(1, request.length + 1)])

    def getStream(self, request, context):
        self.observe("getStream", context)
        for i in range(1, request.length + 1):
            if self.stream_interval:
                time.sleep(self.stream_interval)
            if not context.is_active():
                return
            yield Item(id=i, name=f"name {i}")

    def sayHello(self, request, context):
        self.observe("sayHello", context)
        return Hello(message=f"Hello {request.name}!")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stream-interval", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--log", metavar="FILE")
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    add_ApiServicer_to_server(ApiServer(args.stream_interval, args.log), server)
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"listening on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
