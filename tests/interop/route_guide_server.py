"""A grpcio server for routeguide.RouteGuide, the interop peer for apicli's general commands.

The RouteGuide of gRPC's Python example, on the features in route_guide_db.json beside this file,
plus what the tests need:
  --port 0               bind 127.0.0.1 on an OS-chosen port; prints `listening on 127.0.0.1:PORT`
  --reflection VERSION   v1 (the default): grpc.reflection.v1 and v1alpha, as current servers do;
                         v1alpha: v1alpha only, so v1 answers UNIMPLEMENTED, as grpc-go servers
                         before 1.57 do; none: no reflection
  --log FILE             append one JSON line per call, reflection's included: method, metadata
  --hold-v1              with --reflection v1alpha: hold each v1 call's UNIMPLEMENTED until a
                         v1alpha call has arrived (at most 5 s), and log whether one did, as
                         {"held_v1": {"v1alpha_arrived": true}}: a client that asks both at
                         once gets its answer without waiting for v1's refusal
Request metadata:
  x-answer-status: CODE  any method aborts with that grpc.StatusCode (a number), with
  x-answer-message: TEXT that message and
  x-answer-details: JSON those details: a JSON list of google.rpc detail messages in the proto3
                         JSON form of Any (`{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                         …}`), sent as a google.rpc.Status in grpc-status-details-bin
  x-close-after: N       RouteChat aborts with ABORTED once it has read N notes

grpcio-reflection serves v1alpha only: v1 is the same messages under another package, so the v1
service here hands the very same servicer to grpcio under v1's name.

Run after tests/interop/setup.sh, with its venv's python (the stubs live in target/interop/gen).
"""

import argparse
import json
import math
import sys
import threading
import time
from concurrent import futures
from pathlib import Path

import grpc
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, json_format
from google.rpc import error_details_pb2, status_pb2  # noqa: F401 (the detail types, for Any)
from grpc_reflection.v1alpha import reflection, reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "target" / "interop" / "gen"))
import route_guide_pb2  # noqa: E402
from route_guide_pb2 import Feature, Point, RouteSummary  # noqa: E402
from route_guide_pb2_grpc import (  # noqa: E402
    RouteGuideServicer,
    add_RouteGuideServicer_to_server,
)

STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}
DB = Path(__file__).with_name("route_guide_db.json")
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"


def read_route_guide_database():
    """The features of route_guide_db.json, in its order."""
    with open(DB) as db:
        return [
            Feature(
                name=item["name"],
                location=Point(
                    latitude=item["location"]["latitude"],
                    longitude=item["location"]["longitude"],
                ),
            )
            for item in json.load(db)
        ]


def get_feature(feature_db, point):
    """The feature at `point`, or None."""
    for feature in feature_db:
        if feature.location == point:
            return feature
    return None


def get_distance(start, end):
    """The great-circle distance between two points, in metres (haversine, R = 6371 km)."""
    coord_factor = 10000000.0
    lat_1 = start.latitude / coord_factor
    lat_2 = end.latitude / coord_factor
    lon_1 = start.longitude / coord_factor
    lon_2 = end.longitude / coord_factor
    lat_rad_1 = math.radians(lat_1)
    lat_rad_2 = math.radians(lat_2)
    delta_lat_rad = math.radians(lat_2 - lat_1)
    delta_lon_rad = math.radians(lon_2 - lon_1)
    a = math.sin(delta_lat_rad / 2) ** 2 + (
        math.cos(lat_rad_1) * math.cos(lat_rad_2) * math.sin(delta_lon_rad / 2) ** 2
    )
    c = 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))
    return 6371000 * c


def answer_status(context):
    """Aborts the call if the client asked for a status (x-answer-*)."""
    metadata = dict(context.invocation_metadata())
    if "x-answer-status" not in metadata:
        return
    number = int(metadata["x-answer-status"])
    message = metadata.get("x-answer-message", "")
    if "x-answer-details" not in metadata:
        context.abort(STATUS_BY_NUMBER[number], message)
    details = []
    for detail in json.loads(metadata["x-answer-details"]):
        details.append(json_format.ParseDict(detail, any_pb2.Any()))
    status = status_pb2.Status(code=number, message=message, details=details)
    context.abort_with_status(rpc_status.to_status(status))


class RouteGuide(RouteGuideServicer):
    def __init__(self):
        self.db = read_route_guide_database()

    def GetFeature(self, request, context):
        answer_status(context)
        feature = get_feature(self.db, request)
        if feature is None:
            return Feature(name="", location=request)
        return feature

    def ListFeatures(self, request, context):
        answer_status(context)
        left = min(request.lo.longitude, request.hi.longitude)
        right = max(request.lo.longitude, request.hi.longitude)
        top = max(request.lo.latitude, request.hi.latitude)
        bottom = min(request.lo.latitude, request.hi.latitude)
        for feature in self.db:
            if (
                left <= feature.location.longitude <= right
                and bottom <= feature.location.latitude <= top
            ):
                yield feature

    def RecordRoute(self, request_iterator, context):
        answer_status(context)
        point_count = 0
        feature_count = 0
        distance = 0.0
        prev_point = None
        start_time = time.time()
        for point in request_iterator:
            point_count += 1
            feature = get_feature(self.db, point)
            if feature is not None and feature.name:
                feature_count += 1
            if prev_point is not None:
                distance += get_distance(prev_point, point)
            prev_point = point
        elapsed_time = time.time() - start_time
        return RouteSummary(
            point_count=point_count,
            feature_count=feature_count,
            distance=int(distance),
            elapsed_time=int(elapsed_time),
        )

    def RouteChat(self, request_iterator, context):
        answer_status(context)
        close_after = dict(context.invocation_metadata()).get("x-close-after")
        prev_notes = []
        for new_note in request_iterator:
            for prev_note in prev_notes:
                if prev_note.location == new_note.location:
                    yield prev_note
            prev_notes.append(new_note)
            if close_after is not None and len(prev_notes) >= int(close_after):
                context.abort(grpc.StatusCode.ABORTED, f"closed after {close_after} notes")


class CallLog(grpc.ServerInterceptor):
    """Appends one JSON line per call to a file, before the call is looked up."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def intercept_service(self, continuation, handler_call_details):
        line = json.dumps({
            "method": handler_call_details.method,
            "metadata": [[key, value] for key, value in handler_call_details.invocation_metadata
                         if not key.endswith("-bin")],
        })
        with self.lock, open(self.path, "a") as log:
            log.write(line + "\n")
        return continuation(handler_call_details)


class HoldV1(grpc.ServerInterceptor):
    """Counts v1alpha reflection calls, and answers each v1 one UNIMPLEMENTED only once a
    v1alpha call has arrived for it (or 5 s have passed), logging which."""

    def __init__(self, log):
        self.log = log
        self.arrived = threading.Condition()
        self.v1alpha_calls = 0
        self.v1_calls = 0

    def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        if method == f"/{reflection.SERVICE_NAME}/ServerReflectionInfo":
            with self.arrived:
                self.v1alpha_calls += 1
                self.arrived.notify_all()
        elif method == f"/{REFLECTION_V1}/ServerReflectionInfo":
            with self.arrived:
                self.v1_calls += 1
                nth = self.v1_calls
            return grpc.stream_stream_rpc_method_handler(
                lambda requests, context: self.refuse(nth, context))
        return continuation(handler_call_details)

    def refuse(self, nth, context):
        """Runs in the thread pool, so the wait does not hold up other calls."""
        with self.arrived:
            arrived = self.arrived.wait_for(lambda: self.v1alpha_calls >= nth, timeout=5)
        if self.log:
            with open(self.log, "a") as log:
                log.write(json.dumps({"held_v1": {"v1alpha_arrived": arrived}}) + "\n")
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "Method not found!")
        yield  # a generator, as stream-stream handlers are


def add_reflection_v1(servicer, server):
    """Serves `servicer` (v1alpha's) as grpc.reflection.v1 too, and describes v1 in the pool.

    The two versions' messages are the same on the wire, so v1alpha's classes decode and encode
    v1's requests and responses.
    """
    file = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(file)
    old, new = f".{file.package}.", ".grpc.reflection.v1."
    file.name = "grpc/reflection/v1/reflection.proto"
    file.package = "grpc.reflection.v1"
    file.ClearField("options")
    for message in file.message_type:
        for field in message.field:
            if field.type_name.startswith(old):
                field.type_name = new + field.type_name[len(old):]
    for service in file.service:
        for method in service.method:
            method.input_type = new + method.input_type[len(old):]
            method.output_type = new + method.output_type[len(old):]
    descriptor_pool.Default().AddSerializedFile(file.SerializeToString())

    handler = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler(REFLECTION_V1, {"ServerReflectionInfo": handler}),
    ))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reflection", choices=["v1", "v1alpha", "none"], default="v1")
    parser.add_argument("--log", metavar="FILE")
    parser.add_argument("--hold-v1", action="store_true")
    args = parser.parse_args()

    interceptors = [CallLog(args.log)] if args.log else []
    if args.hold_v1:
        interceptors.append(HoldV1(args.log))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10), interceptors=interceptors)
    add_RouteGuideServicer_to_server(RouteGuide(), server)
    services = [route_guide_pb2.DESCRIPTOR.services_by_name["RouteGuide"].full_name]
    if args.reflection != "none":
        services.append(reflection.SERVICE_NAME)
        if args.reflection == "v1":
            services.append(REFLECTION_V1)
        servicer = reflection.ReflectionServicer(services)
        reflection_pb2_grpc.add_ServerReflectionServicer_to_server(servicer, server)
        if args.reflection == "v1":
            add_reflection_v1(servicer, server)
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"listening on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
