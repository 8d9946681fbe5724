#!/usr/bin/python3
"""An independent client of the Vectros gRPC API (issue #12 item 5).

Debian's python3-grpcio with stubs generated at run time by protoc and grpc_python_plugin from protos/vectros/v1,
so nothing here shares code with the server or the C# tests. Each step is a function taking the Client and
raising Mismatch on any unexpected answer; the script exits non-zero with the step's name and the reason
(1: a mismatch, 2: usage, 3: a prerequisite is missing).

Environment:
  VECTROS_GRPC_ADDRESS  host:port of the gRPC listener (plain HTTP/2), e.g. 127.0.0.1:8081
  VECTROS_KEY           the credential sent as `authorization: Bearer …` metadata
  VECTROS_TYPE_NAME     a record type whose schema exists with a string field `text` (default: note)
  VECTROS_PROTOS        the protos directory (default: protos/ at the repository root beside this script)

Run by tests/Api.Tests/Grpc/GrpcPythonClientTests.cs; by hand against ./vectros up:
  VECTROS_GRPC_ADDRESS=127.0.0.1:8081 VECTROS_KEY=sk_test_... /usr/bin/python3 tests/python/grpc_smoke.py
"""

import glob
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

PLUGIN = "/usr/bin/grpc_python_plugin"
# The well-known types (google/protobuf/*.proto) as libprotobuf-dev installs them.
WELL_KNOWN_INCLUDE = "/usr/include"


class Mismatch(Exception):
    """The server answered something other than what the step expects."""


class Missing(Exception):
    """A prerequisite of this client (a Debian package) is not installed: exit code 3."""


def expect(condition, message):
    if not condition:
        raise Mismatch(message)


def generate_stubs(protos_dir, out_dir):
    """protoc --python_out --grpc_python_out into out_dir; returns the generated vectros.v1 modules' package path."""
    protoc = shutil.which("protoc")
    if protoc is None or not os.path.exists(PLUGIN):
        raise Missing("protoc or %s is missing (apt-get install protobuf-compiler protobuf-compiler-grpc)" % PLUGIN)
    if not os.path.exists(os.path.join(WELL_KNOWN_INCLUDE, "google", "protobuf", "struct.proto")):
        raise Missing("%s/google/protobuf/*.proto is missing (apt-get install libprotobuf-dev)" % WELL_KNOWN_INCLUDE)
    files = sorted(glob.glob(os.path.join(protos_dir, "vectros", "v1", "*.proto")))
    expect(files, "no .proto files under %s/vectros/v1" % protos_dir)
    command = [
        protoc,
        "--python_out=" + out_dir,
        "--grpc_python_out=" + out_dir,
        "--plugin=protoc-gen-grpc_python=" + PLUGIN,
        "-I", protos_dir,
        "-I", WELL_KNOWN_INCLUDE,
    ] + [os.path.relpath(f, protos_dir) for f in files]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise Mismatch("protoc failed (%d): %s" % (run.returncode, run.stderr.strip()))
    # Packages for the generated modules' `from vectros.v1 import …` imports.
    for package in ("vectros", os.path.join("vectros", "v1")):
        open(os.path.join(out_dir, package, "__init__.py"), "a").close()


class Client:
    """The generated stubs on one channel, every call with the bearer metadata."""

    def __init__(self, grpc, address, key, type_name):
        self.grpc = grpc
        self.type_name = type_name
        self.metadata = (("authorization", "Bearer " + key),)
        self.channel = grpc.insecure_channel(address)
        self.ping_pb2 = importlib.import_module("vectros.v1.ping_pb2")
        self.records_pb2 = importlib.import_module("vectros.v1.records_pb2")
        self.ping = importlib.import_module("vectros.v1.ping_pb2_grpc").PingStub(self.channel)
        self.records = importlib.import_module("vectros.v1.records_pb2_grpc").RecordsStub(self.channel)
        # What the record steps pass along: the id and version of the record they work on.
        self.record_id = None
        self.version = None

    def call(self, method, request):
        return method(request, metadata=self.metadata, timeout=30)

    def fails(self, method, request):
        """Runs a call expected to fail; returns its grpc.StatusCode."""
        try:
            self.call(method, request)
        except self.grpc.RpcError as e:
            return e.code()
        raise Mismatch("%s succeeded; a failure was expected" % method._method)

    def struct(self, values):
        from google.protobuf import struct_pb2

        s = struct_pb2.Struct()
        s.update(values)
        return s


def step_ping(c):
    reply = c.call(c.ping.Ping, c.ping_pb2.PingRequest())
    expect(reply.status == "ok", "ping status %r, expected 'ok'" % reply.status)
    expect(reply.tenant_id.startswith("ten_test_"), "ping tenant_id %r, expected a test tenant" % reply.tenant_id)
    expect(reply.principal_type == c.ping_pb2.PRINCIPAL_TYPE_ROOT_KEY,
           "ping principal_type %s, expected PRINCIPAL_TYPE_ROOT_KEY" % c.ping_pb2.PrincipalType.Name(reply.principal_type))


def step_create(c):
    pb = c.records_pb2
    reply = c.call(c.records.CreateRecord, pb.CreateRecordRequest(
        record=pb.RecordFields(type_name=c.type_name, payload=c.struct({"text": "from python", "n": 1}))))
    expect(reply.id, "create returned no id")
    expect(reply.created, "create answered created=false")
    expect(reply.type_name == c.type_name, "create type_name %r, expected %r" % (reply.type_name, c.type_name))
    expect(reply.payload["text"] == "from python", "create payload %s" % dict(reply.payload))
    expect(reply.version >= 1, "create version %d" % reply.version)
    expect(reply.HasField("created_at"), "create has no created_at")
    c.record_id, c.version = reply.id, reply.version


def step_get(c):
    pb = c.records_pb2
    reply = c.call(c.records.GetRecord, pb.GetRecordRequest(id=c.record_id))
    expect(reply.id == c.record_id, "get id %r, expected %r" % (reply.id, c.record_id))
    expect(reply.payload["text"] == "from python", "get payload %s" % dict(reply.payload))
    expect(reply.version == c.version, "get version %d, expected %d" % (reply.version, c.version))
    expect(reply.status == pb.LIFECYCLE_STATUS_ACTIVE, "get status %s" % pb.LifecycleStatus.Name(reply.status))


def step_update(c):
    pb = c.records_pb2
    reply = c.call(c.records.UpdateRecord, pb.UpdateRecordRequest(id=c.record_id, record=pb.RecordFields(
        payload=c.struct({"text": "updated", "n": 2}), expected_version=c.version)))
    expect(reply.payload["text"] == "updated", "update payload %s" % dict(reply.payload))
    expect(reply.version > c.version, "update version %d, expected more than %d" % (reply.version, c.version))
    # The same expected version again is a conflict: ABORTED, as HTTP's 409.
    stale = c.fails(c.records.UpdateRecord, pb.UpdateRecordRequest(id=c.record_id, record=pb.RecordFields(
        payload=c.struct({"text": "stale"}), expected_version=c.version)))
    expect(stale == c.grpc.StatusCode.ABORTED, "a stale expected_version answered %s, expected ABORTED" % stale)
    c.version = reply.version


def step_patch(c):
    pb = c.records_pb2
    # RFC 7386: null removes `n`, `extra` is added, `text` stays.
    patch = c.struct({"n": None, "extra": "patched"})
    reply = c.call(c.records.PatchRecord, pb.PatchRecordRequest(id=c.record_id, payload=patch, expected_version=c.version))
    fields = dict(reply.payload)
    expect(fields.get("text") == "updated" and fields.get("extra") == "patched" and "n" not in fields,
           "patch payload %s, expected text=updated, extra=patched, no n" % fields)
    expect(reply.version > c.version, "patch version %d, expected more than %d" % (reply.version, c.version))
    c.version = reply.version


def step_delete(c):
    pb = c.records_pb2
    c.call(c.records.DeleteRecord, pb.DeleteRecordRequest(id=c.record_id))
    gone = c.fails(c.records.GetRecord, pb.GetRecordRequest(id=c.record_id))
    expect(gone == c.grpc.StatusCode.NOT_FOUND, "get after delete answered %s, expected NOT_FOUND" % gone)


def step_search(c):
    """A record indexed for text, then a streamed search: hits in rank order, then exactly one summary."""
    import time
    import uuid

    pb = c.records_pb2
    search_pb2 = importlib.import_module("vectros.v1.search_pb2")
    search = importlib.import_module("vectros.v1.search_pb2_grpc").SearchStub(c.channel)
    word = "zq" + uuid.uuid4().hex[:10]
    created = c.call(c.records.CreateRecord, pb.CreateRecordRequest(record=pb.RecordFields(
        type_name=c.type_name, index_mode=pb.INDEX_MODE_TEXT, payload=c.struct({"text": "python streamed " + word}))))
    deadline = time.monotonic() + 60
    while True:
        events = list(search.Search(search_pb2.SearchRequest(query=word, mode=search_pb2.SEARCH_MODE_TEXT),
                                    metadata=c.metadata, timeout=30))
        hits = [e.hit for e in events if e.WhichOneof("event") == "hit"]
        expect(events and events[-1].WhichOneof("event") == "summary", "the stream did not end with one summary")
        expect(sum(1 for e in events if e.WhichOneof("event") == "summary") == 1, "more than one summary")
        if hits:
            break
        # Indexing is asynchronous: the record becomes searchable once the outbox worker has indexed it.
        expect(time.monotonic() < deadline, "the record was not found by search within 60 s")
        time.sleep(0.2)
    expect(len(hits) == 1 and hits[0].document_id == created.id,
           "search hits %s, expected the one record %s" % ([h.document_id for h in hits], created.id))
    expect(hits[0].source_type == search_pb2.SOURCE_TYPE_GENERIC_RECORD, "hit source_type %d" % hits[0].source_type)
    expect(events[-1].summary.total_results == 1, "summary total_results %d" % events[-1].summary.total_results)


# In order; each step may rely on what the ones before it left in the Client.
STEPS = [step_ping, step_create, step_get, step_update, step_patch, step_delete, step_search]


def main():
    address = os.environ.get("VECTROS_GRPC_ADDRESS")
    key = os.environ.get("VECTROS_KEY")
    if not address or not key:
        print("grpc_smoke: set VECTROS_GRPC_ADDRESS (host:port) and VECTROS_KEY", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    protos = os.environ.get("VECTROS_PROTOS") or os.path.join(here, "..", "..", "protos")
    try:
        import grpc  # Debian's python3-grpcio
    except ImportError as e:
        print("grpc_smoke: cannot import grpc (%s): apt-get install python3-grpcio python3-protobuf" % e, file=sys.stderr)
        return 3

    out = tempfile.mkdtemp(prefix="vectros-grpc-stubs-")
    try:
        try:
            generate_stubs(protos, out)
        except Missing as e:
            print("grpc_smoke: generating stubs: %s" % e, file=sys.stderr)
            return 3
        except Mismatch as e:
            print("grpc_smoke: generating stubs: %s" % e, file=sys.stderr)
            return 1
        sys.path.insert(0, out)
        client = Client(grpc, address, key, os.environ.get("VECTROS_TYPE_NAME", "note"))
        for step in STEPS:
            try:
                step(client)
            except Mismatch as e:
                print("grpc_smoke: %s: %s" % (step.__name__, e), file=sys.stderr)
                return 1
            except grpc.RpcError as e:
                print("grpc_smoke: %s: unexpected %s: %s" % (step.__name__, e.code(), e.details()), file=sys.stderr)
                return 1
            print("ok  %s" % step.__name__)
        client.channel.close()
        print("grpc_smoke: %d steps passed" % len(STEPS))
        return 0
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
