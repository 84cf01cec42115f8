"""The proof that clients generated from the .proto in another language work.

Generates a Python client from proto/idcard/v1/idcard.proto with grpcio-tools, starts the
real server binary (IDCARD_SERVER_BIN) on a free port, and calls it: health, a recognition
whose error details are decoded with the standard google.rpc types, and, when the
committed card fixtures exist, a successful recognition.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import grpc
import pytest
from grpc_status import rpc_status
from google.rpc import error_details_pb2

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def stubs():
    out = Path(tempfile.mkdtemp(prefix="idcard-py-"))
    from grpc_tools import protoc

    code = protoc.main(
        [
            "protoc",
            f"-I{ROOT / 'proto'}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            str(ROOT / "proto/idcard/v1/idcard.proto"),
        ]
    )
    assert code == 0, "grpcio-tools could not compile the contract"
    sys.path.insert(0, str(out))
    from idcard.v1 import idcard_pb2, idcard_pb2_grpc

    return idcard_pb2, idcard_pb2_grpc


def start_server(*extra):
    binary = os.environ.get("IDCARD_SERVER_BIN", str(ROOT / "target/debug/idcard-server"))
    return subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--engines", "1", *extra],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_address(process):
    address = None
    for line in process.stderr:
        match = re.search(r"serving idcard\.v1 addr=(\S+)", line)
        if match:
            address = match.group(1)
            break
    assert address, "the server did not start"
    return address


@pytest.fixture(scope="module")
def server():
    process = start_server()
    yield wait_for_address(process)
    process.terminate()
    assert process.wait(timeout=30) == 0, "the server did not shut down cleanly"


def add_key(keys_file, key_id, *flags):
    """Adds a key with the real CLI; its secret is the last line of stdout."""
    cli = os.environ.get("IDCARD_CLI_BIN", str(ROOT / "target/debug/idcard"))
    out = subprocess.run(
        [cli, "keys", "add", "--keys-file", str(keys_file), "--id", key_id, *flags],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.splitlines()[-1]


@pytest.fixture(scope="module")
def keyed_server():
    state = Path(tempfile.mkdtemp(prefix="idcard-py-keys-"))
    keys_file = state / "keys.toml"
    secrets = {
        "paced": add_key(keys_file, "paced", "--rate", "0.1", "--burst", "1"),
        "metered": add_key(keys_file, "metered", "--quota", "1"),
    }
    process = start_server("--keys-file", str(keys_file), "--state-dir", str(state / "state"))
    yield wait_for_address(process), secrets
    process.terminate()
    assert process.wait(timeout=30) == 0, "the server did not shut down cleanly"


def test_health(server):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(server) as channel:
        answer = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="idcard.v1.IdCardService")
        )
    assert answer.status == health_pb2.HealthCheckResponse.SERVING


def error_details(error):
    status = rpc_status.from_call(error)
    assert status is not None, "the error carries google.rpc details"
    found = {}
    for detail in status.details:
        for kind in (
            error_details_pb2.ErrorInfo,
            error_details_pb2.RequestInfo,
            error_details_pb2.BadRequest,
            error_details_pb2.RetryInfo,
            error_details_pb2.QuotaFailure,
        ):
            if detail.Is(kind.DESCRIPTOR):
                message = kind()
                detail.Unpack(message)
                found[kind.__name__] = message
    return found


def test_errors_decode_in_python(stubs, server):
    pb, pb_grpc = stubs
    with grpc.insecure_channel(server) as channel:
        client = pb_grpc.IdCardServiceStub(channel)
        requests = iter([pb.RecognizeIdCardRequest(config=pb.RecognizeIdCardConfig(filename="x.gif")),
                         pb.RecognizeIdCardRequest(chunk=b"GIF89a\x01\x00\x01\x00")])
        with pytest.raises(grpc.RpcError) as caught:
            client.RecognizeIdCard(requests, metadata=[("x-request-id", "py-test-1")])
        error = caught.value
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        details = error_details(error)
        assert details["ErrorInfo"].reason == "INVALID_ARGUMENT"
        assert details["ErrorInfo"].domain == "idcard.v1"
        assert details["RequestInfo"].request_id == "py-test-1"
        assert details["BadRequest"].field_violations[0].field == "image.format"


def fixture_cards():
    truth = ROOT / "tests/fixtures/cards/truth.jsonl"
    if not truth.exists():
        return []
    return [json.loads(line) for line in truth.read_text().splitlines() if line.strip()]


def test_recognizes_a_generated_card(stubs, server):
    cards = [c for c in fixture_cards() if c["mode"] == "scan"]
    if not cards:
        pytest.skip("no committed card fixtures yet")
    pb, pb_grpc = stubs
    card = cards[0]
    data = (ROOT / "tests/fixtures/cards" / card["image"]).read_bytes()
    with grpc.insecure_channel(server) as channel:
        client = pb_grpc.IdCardServiceStub(channel)
        chunks = [pb.RecognizeIdCardRequest(chunk=data[i:i + 4096]) for i in range(0, len(data), 4096)]
        response = client.RecognizeIdCard(iter(chunks))
    assert response.request_id
    assert len(response.results) >= 1
    expected_side = pb.CARD_SIDE_FRONT if card["cards"][0]["side"] == "front" else pb.CARD_SIDE_BACK
    assert response.results[0].card_side == expected_side


def test_access_errors_decode_in_python(stubs, keyed_server):
    pb, pb_grpc = stubs
    address, secrets = keyed_server

    def call(metadata):
        requests = iter([pb.RecognizeIdCardRequest(chunk=b"GIF89a\x01\x00\x01\x00")])
        with pytest.raises(grpc.RpcError) as caught:
            client.RecognizeIdCard(requests, metadata=metadata)
        return caught.value

    def key(name):
        return [("x-df-api-id", name), ("x-df-api-secret", secrets[name])]

    with grpc.insecure_channel(address) as channel:
        client = pb_grpc.IdCardServiceStub(channel)

        error = call([])
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED
        assert error_details(error)["ErrorInfo"].reason == "UNAUTHORIZED"

        # Admitted: the image rules refuse the GIF after every access check passed.
        assert call(key("paced")).code() == grpc.StatusCode.INVALID_ARGUMENT
        error = call(key("paced"))
        assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        details = error_details(error)
        assert details["ErrorInfo"].reason == "RATE_LIMIT_EXCEEDED"
        assert details["RetryInfo"].retry_delay.ToMilliseconds() > 0

        bearer = [("authorization", "Bearer metered:" + secrets["metered"])]
        assert call(bearer).code() == grpc.StatusCode.INVALID_ARGUMENT
        error = call(key("metered"))
        assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        details = error_details(error)
        assert details["ErrorInfo"].reason == "OUT_OF_QUOTA"
        assert details["QuotaFailure"].violations[0].subject == "key:metered"
