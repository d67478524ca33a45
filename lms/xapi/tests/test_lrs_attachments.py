"""Statement attachments over HTTP: xAPI 1.0.3 Communication 1.5 (application/json and multipart/mixed),
Communication 2.1.3 (GET with attachments=true) and Data 2.6 (signed statements)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from lms.xapi import attachments
from lms.xapi.http import XapiError, XapiRequest
from lms.xapi.models import AttachmentPayload, Statement
from lms.xapi.tests.lrs import Lrs, statement

pytestmark = pytest.mark.django_db

BOUNDARY = "-------314159265358979323846"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
TEXT = b"here is a simple attachment"
TEXT_SHA2 = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
# Bytes a careless parser would mangle: NUL, CR/LF, high bytes and something that looks like a delimiter.
BINARY = b"\x89PNG\r\n\x1a\n\x00\xff\xfe\r\n--not-the-boundary\r\n\x00end"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attachment(content: bytes, **overrides) -> dict:
    data = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "application/octet-stream",
        "length": len(content),
        "sha2": sha256(content),
    }
    data.update(overrides)
    return data


def binary_part(content: bytes, content_type="application/octet-stream", sha2: str | None = None) -> tuple:
    return (
        {
            "Content-Type": content_type,
            "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": sha2 or sha256(content),
        },
        content,
    )


def multipart(payload, parts=(), boundary=BOUNDARY, first_type="application/json") -> bytes:
    """A multipart/mixed body with CRLF line endings: the statements first, then the given (headers, bytes)."""
    first = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    chunks = [f"--{boundary}\r\nContent-Type: {first_type}\r\n\r\n".encode(), first]
    for headers, content in parts:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        chunks += [f"\r\n--{boundary}\r\n{head}\r\n".encode(), content]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks)


def post_multipart(lrs: Lrs, body: bytes, boundary=BOUNDARY):
    return lrs.post("statements", body, content_type=f"multipart/mixed; boundary={boundary}")


def error_message(response) -> str:
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]["message"]


def split_multipart(response) -> list[tuple[dict[str, str], bytes]]:
    """The parts of a multipart/mixed response (headers with lower-case names, raw content)."""
    kind, _, boundary = response["Content-Type"].partition("; boundary=")
    assert kind == "multipart/mixed" and boundary
    body = response.content
    delimiter = f"--{boundary}".encode()
    assert body.startswith(delimiter + b"\r\n") and body.endswith(b"\r\n" + delimiter + b"--\r\n")
    parts = []
    for chunk in body[len(delimiter) + 2 : -len(delimiter) - 6].split(b"\r\n" + delimiter + b"\r\n"):
        head, _, content = chunk.partition(b"\r\n\r\n")
        headers = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n"))
        parts.append(({k.lower(): v for k, v in headers.items()}, content))
    return parts


@pytest.fixture
def lrs():
    return Lrs()


def nothing_stored():
    return not Statement.objects.exists() and not AttachmentPayload.objects.exists()


# --- Communication 1.5.1: application/json ---------------------------------------------------------------------


def test_json_with_only_fileurl_attachments_is_accepted(lrs):
    data = statement(attachments=[attachment(TEXT, fileUrl="http://over.there.com/file.txt")])
    response = lrs.post("statements", data)
    assert response.status_code == 200, response.content
    assert Statement.objects.count() == 1
    assert not AttachmentPayload.objects.exists()


def test_json_with_an_attachment_without_fileurl_is_rejected(lrs):
    data = statement(attachments=[attachment(TEXT, fileUrl="http://over.there.com/file.txt"), attachment(TEXT)])
    response = lrs.post("statements", data)
    assert response.status_code == 400
    assert "multipart/mixed" in error_message(response)
    assert nothing_stored()


# --- Communication 1.5.2: multipart/mixed, accepted ------------------------------------------------------------


def test_post_with_one_attachment_stores_the_statement_and_payload(lrs):
    sid = str(uuid.uuid4())
    data = statement(id=sid, attachments=[attachment(BINARY, contentType="image/png")])
    response = post_multipart(lrs, multipart(data, [binary_part(BINARY, "image/png")]))
    assert response.status_code == 200, response.content
    assert response.json() == [sid]
    payload = AttachmentPayload.objects.get()
    assert payload.sha2 == sha256(BINARY)
    assert payload.content_type == "image/png"
    assert payload.length == len(BINARY)
    with payload.file.open("rb") as handle:
        assert handle.read() == BINARY
    assert Statement.objects.get().data["attachments"][0]["sha2"] == sha256(BINARY)


def test_put_with_one_attachment(lrs):
    sid = str(uuid.uuid4())
    body = multipart(statement(attachments=[attachment(TEXT)]), [binary_part(TEXT, "text/plain")])
    response = lrs.put(
        "statements", body, query=f"?statementId={sid}", content_type=f"multipart/mixed; boundary={BOUNDARY}"
    )
    assert response.status_code == 204, response.content
    assert Statement.objects.filter(pk=sid).exists()
    assert AttachmentPayload.objects.filter(sha2=TEXT_SHA2).exists()


def test_the_specification_example_with_a_quoted_boundary(lrs):
    """Communication 1.5.2.s6: boundary with special characters, quoted; headers without a space after the colon."""
    boundary = "abcABC0123'()+_,-./:=?"
    data = statement(attachments=[attachment(TEXT, contentType="text/plain; charset=ascii")])
    body = (
        f"--{boundary}\r\nContent-Type:application/json\r\n\r\n{json.dumps(data, indent=4)}\r\n"
        f"--{boundary}\r\nContent-Type:text/plain\r\nContent-Transfer-Encoding:binary\r\n"
        f"X-Experience-API-Hash:{TEXT_SHA2}\r\n\r\nhere is a simple attachment\r\n--{boundary}--"
    ).encode()
    response = lrs.post("statements", body, content_type=f'multipart/mixed; boundary="{boundary}"')
    assert response.status_code == 200, response.content
    assert AttachmentPayload.objects.get().content_type == "text/plain"


def test_a_preamble_and_lf_line_endings_are_tolerated(lrs):
    """The conformance suite's .part fixtures use LF line endings; its signed bodies start with a CRLF."""
    data = statement(attachments=[attachment(TEXT)])
    body = (
        f"preamble\n--{BOUNDARY}\nContent-Type: application/json\n\n{json.dumps(data)}\n"
        f"--{BOUNDARY}\nContent-Type: text/plain\nContent-Transfer-Encoding: binary\n"
        f"X-Experience-API-Hash: {TEXT_SHA2}\n\nhere is a simple attachment\n--{BOUNDARY}--\n"
    ).encode()
    response = post_multipart(lrs, body)
    assert response.status_code == 200, response.content
    with AttachmentPayload.objects.get().file.open("rb") as handle:
        assert handle.read() == TEXT


def test_multipart_without_attachments_is_accepted(lrs):
    """Communication 1.5.2.s3.b8 and b9: no attachments, or only fileUrl ones."""
    data = [statement(), statement(attachments=[attachment(TEXT, fileUrl="http://over.there.com/file.txt")])]
    response = post_multipart(lrs, multipart(data))
    assert response.status_code == 200, response.content
    assert Statement.objects.count() == 2
    assert not AttachmentPayload.objects.exists()


def test_one_part_serves_every_statement_of_a_batch_that_uses_it(lrs):
    """Communication 1.5.2.s2.b2.b5: one copy of data used by several statements."""
    data = [statement(attachments=[attachment(TEXT)]), statement(attachments=[attachment(TEXT)])]
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT, "text/plain")]))
    assert response.status_code == 200, response.content
    assert Statement.objects.count() == 2
    assert AttachmentPayload.objects.count() == 1


@pytest.mark.parametrize("algorithm", ["sha384", "sha512"])
def test_longer_sha2_digests_are_stored_or_refused_cleanly(lrs, algorithm):
    """Communication 1.5.2.s4.b4 allows SHA-384 and SHA-512; the payload key holds as many hex digits as the
    model allows (a 400, never a database error, when it is too short)."""
    digest = hashlib.new(algorithm, TEXT).hexdigest()
    data = statement(attachments=[attachment(TEXT, sha2=digest)])
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT, sha2=digest)]))
    fits = AttachmentPayload._meta.get_field("sha2").max_length >= len(digest)
    assert response.status_code == (200 if fits else 400), response.content
    assert AttachmentPayload.objects.filter(sha2=digest).exists() is fits


def test_a_payload_already_held_is_kept_once(lrs):
    for _ in range(2):
        response = post_multipart(lrs, multipart(statement(attachments=[attachment(TEXT)]), [binary_part(TEXT)]))
        assert response.status_code == 200, response.content
    assert Statement.objects.count() == 2
    assert AttachmentPayload.objects.count() == 1


def test_attachments_store_is_idempotent_and_survives_a_concurrent_twin(monkeypatch):
    attachments.attachments_store({TEXT_SHA2: ("text/plain", TEXT)})
    first = AttachmentPayload.objects.get()
    attachments.attachments_store({TEXT_SHA2: ("text/other", b"ignored")})
    # A twin request stored the row between our look-up and our insert: the insert fails, quietly.
    monkeypatch.setattr(attachments, "_held", lambda sha2s: set())
    attachments.attachments_store({TEXT_SHA2: ("text/plain", TEXT)})
    kept = AttachmentPayload.objects.get()
    assert (kept.content_type, kept.file.name) == ("text/plain", first.file.name)
    with kept.file.open("rb") as handle:
        assert handle.read() == TEXT
    # The loser's file (stored under another name) was removed again.
    assert [p.name for p in Path(kept.file.path).parent.iterdir()] == [Path(kept.file.name).name]


# --- Communication 1.5.2: multipart/mixed, rejected ------------------------------------------------------------


def test_content_that_does_not_hash_to_its_header_is_rejected_and_nothing_is_stored(lrs):
    data = statement(attachments=[attachment(TEXT)])
    response = post_multipart(lrs, multipart(data, [binary_part(b"some other content", sha2=TEXT_SHA2)]))
    assert response.status_code == 400
    assert "does not hash" in error_message(response)
    assert nothing_stored()


def test_a_part_whose_hash_matches_no_sha2_is_rejected(lrs):
    data = statement(attachments=[attachment(TEXT, sha2=sha256(b"declared"))])
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT)]))
    assert response.status_code == 400
    assert nothing_stored()


def test_a_part_not_referenced_by_any_attachment_is_rejected(lrs):
    """Conformance XAPI-00128: excess multipart sections that are not attachments."""
    data = statement(attachments=[attachment(TEXT)])
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT), binary_part(BINARY)]))
    assert response.status_code == 400
    assert "belongs to no attachment" in error_message(response)
    assert nothing_stored()


def test_a_batch_with_one_missing_attachment_stores_none_of_it(lrs):
    """Communication 1.5.2.s3.b5."""
    data = [statement(attachments=[attachment(TEXT)]), statement(attachments=[attachment(BINARY)])]
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT)]))
    assert response.status_code == 400
    assert "statements[1].attachments[0]" in error_message(response)
    assert nothing_stored()


def test_an_invalid_statement_in_a_multipart_batch_stores_nothing(lrs):
    data = [statement(attachments=[attachment(TEXT)]), {"verb": {"id": "http://example.org/v"}}]
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT)]))
    assert response.status_code == 400
    assert nothing_stored()


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"Content-Type": "text/plain", "Content-Transfer-Encoding": "binary"}, "X-Experience-API-Hash"),
        ({"Content-Type": "text/plain", "X-Experience-API-Hash": TEXT_SHA2}, "Content-Transfer-Encoding"),
        ({"Content-Transfer-Encoding": "base64", "X-Experience-API-Hash": TEXT_SHA2}, "Content-Transfer-Encoding"),
        ({"Content-Transfer-Encoding": "binary", "X-Experience-API-Hash": "not-a-hash"}, "X-Experience-API-Hash"),
    ],
    ids=["no-hash-header", "no-transfer-encoding", "base64-transfer-encoding", "hash-not-hex"],
)
def test_attachment_part_headers_are_required(lrs, headers, expected):
    """Communication 1.5.2.s2.b2.b3 and b4."""
    data = statement(attachments=[attachment(TEXT)])
    response = post_multipart(lrs, multipart(data, [(headers, TEXT)]))
    assert response.status_code == 400
    assert expected in error_message(response)
    assert nothing_stored()


def test_the_first_part_must_be_application_json(lrs):
    """Communication 1.5.2.s2.b2.b1."""
    data = statement(attachments=[attachment(TEXT)])
    response = post_multipart(lrs, multipart(data, [binary_part(TEXT)], first_type="text/plain"))
    assert response.status_code == 400
    assert "application/json" in error_message(response)


def test_statements_split_over_two_parts_are_rejected(lrs):
    """Conformance XAPI-00133: all statements in the first part."""
    second = ({"Content-Type": "application/json"}, json.dumps(statement()).encode())
    response = post_multipart(lrs, multipart(statement(), [second]))
    assert response.status_code == 400
    assert nothing_stored()


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/mixed", multipart(statement())),
        ("multipart/mixed;", multipart(statement())),
        ("multipart/mixed; boundary=", multipart(statement())),
        (f"multipart/mixed; boundary={BOUNDARY}", b"\x00\xff\xfe garbage \r\n\r\n\x81"),
        (f"multipart/mixed; boundary={BOUNDARY}", json.dumps(statement()).encode()),
        ("multipart/mixed; boundary=other", multipart(statement())),
        (f"multipart/mixed; boundary={BOUNDARY}", multipart(statement())[: -len(f"--{BOUNDARY}--\r\n") - 2]),
        (f"multipart/mixed; boundary={BOUNDARY}", f"--{BOUNDARY}--\r\n".encode()),
        (
            f"multipart/mixed; boundary={BOUNDARY}",
            f"--{BOUNDARY}\r\nContent-Type: application/json\r\n{{}}\r\n--{BOUNDARY}--".encode(),
        ),
        (
            f"multipart/mixed; boundary={BOUNDARY}",
            f"--{BOUNDARY}\r\nnot a header\r\n\r\n{{}}\r\n--{BOUNDARY}--".encode(),
        ),
        (f"multipart/mixed; boundary={BOUNDARY}", multipart(b"{not json")),
        (f"multipart/mixed; boundary={BOUNDARY}", multipart(b"\xff\xfe")),
        (f"multipart/mixed; boundary={BOUNDARY}", multipart(b"")),
        # The conformance fixture with a missing delimiter before the second part's headers.
        (
            f"multipart/mixed; boundary={BOUNDARY}",
            multipart(statement(attachments=[attachment(TEXT)]))[: -len(f"\r\n--{BOUNDARY}--\r\n")]
            + f"\n\nContent-Type: text/plain\nContent-Transfer-Encoding: binary\nX-Experience-API-Hash: {TEXT_SHA2}"
            f"\n\nhere is a simple attachment\n--{BOUNDARY}--\n".encode(),
        ),
        (f"multipart/form-data; boundary={BOUNDARY}", multipart(statement())),
    ],
    ids=[
        "no-boundary",
        "no-boundary-semicolon",
        "empty-boundary",
        "garbage",
        "plain-json",
        "boundary-not-in-body",
        "no-closing-delimiter",
        "only-closing-delimiter",
        "no-blank-line",
        "malformed-header",
        "invalid-json",
        "not-utf8",
        "empty-first-part",
        "middle-part-without-boundary",
        "form-data",
    ],
)
def test_malformed_multipart_is_a_400_never_a_500(lrs, content_type, body):
    response = lrs.post("statements", body, content_type=content_type)
    assert response.status_code == 400, response.content
    assert error_message(response)
    assert nothing_stored()


def test_an_empty_multipart_body_is_a_400():
    """(The test client sends no Content-Type with an empty body, so this calls the parser directly.)"""
    req = XapiRequest("POST", {}, {"content-type": f"multipart/mixed; boundary={BOUNDARY}"}, b"", None, None)
    with pytest.raises(XapiError) as raised:
        attachments.statements_from_multipart(req)
    assert raised.value.status == 400
    assert req.attachment_parts is None


# --- Communication 2.1.3: GET statements with attachments=true ------------------------------------------------


def test_get_a_statement_with_attachments_returns_multipart(lrs):
    sid = str(uuid.uuid4())
    data = statement(
        id=sid,
        attachments=[
            attachment(BINARY, contentType="image/png"),
            attachment(TEXT, fileUrl="http://over.there.com/file.txt"),
        ],
    )
    assert post_multipart(lrs, multipart(data, [binary_part(BINARY, "image/png")])).status_code == 200

    response = lrs.get("statements", {"statementId": sid, "attachments": "true"})
    assert response.status_code == 200
    assert response["X-Experience-API-Consistent-Through"]
    (json_headers, document), (headers, content) = split_multipart(response)
    assert json_headers["content-type"] == "application/json"
    assert json.loads(document)["id"] == sid
    assert headers == {
        "content-type": "image/png",
        "content-transfer-encoding": "binary",
        "x-experience-api-hash": sha256(BINARY),
    }
    assert content == BINARY
    assert sha256(content) == headers["x-experience-api-hash"]


def test_get_statements_with_attachments_sends_each_payload_once(lrs):
    data = [statement(attachments=[attachment(TEXT)]), statement(attachments=[attachment(TEXT)])]
    assert post_multipart(lrs, multipart(data, [binary_part(TEXT, "text/plain")])).status_code == 200

    response = lrs.get("statements", {"attachments": "true"})
    assert response.status_code == 200
    (_, document), *payloads = split_multipart(response)
    assert len(json.loads(document)["statements"]) == 2
    assert [(h["x-experience-api-hash"], c) for h, c in payloads] == [(TEXT_SHA2, TEXT)]


def test_get_with_attachments_and_only_fileurl_attachments_is_multipart_with_json_alone(lrs):
    sid = str(uuid.uuid4())
    data = statement(id=sid, attachments=[attachment(TEXT, fileUrl="http://over.there.com/file.txt")])
    assert lrs.post("statements", data).status_code == 200
    response = lrs.get("statements", {"statementId": sid, "attachments": "true"})
    [(_, document)] = split_multipart(response)
    assert json.loads(document)["id"] == sid


def test_get_without_attachments_is_plain_json(lrs):
    sid = str(uuid.uuid4())
    data = statement(id=sid, attachments=[attachment(TEXT)])
    assert post_multipart(lrs, multipart(data, [binary_part(TEXT)])).status_code == 200
    response = lrs.get("statements", {"statementId": sid})
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["attachments"][0]["sha2"] == TEXT_SHA2


# --- Data 2.6: signed statements -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xAPI test signer")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(payload, key, certificate=None, alg="RS256") -> bytes:
    header = {"alg": alg}
    if certificate is not None:
        header["x5c"] = [base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()]
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(raw)}"
    digest = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}.get(alg, hashes.SHA256())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), digest)
    return f"{signing_input}.{b64url(signature)}".encode()


def signed_body(data: dict, signature: bytes, content_type="application/octet-stream") -> bytes:
    data = {
        **data,
        "attachments": [
            *data.get("attachments", []),
            attachment(signature, usageType=SIGNATURE, contentType=content_type),
        ],
    }
    parts = [binary_part(signature, content_type)]
    return multipart(data, parts)


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_a_valid_signed_statement_is_accepted(lrs, signer, alg):
    key, certificate = signer
    data = statement(id=str(uuid.uuid4()), timestamp="2024-05-01T10:00:00.000Z")
    signature = jws(data, key, certificate, alg=alg)
    response = post_multipart(lrs, signed_body(data, signature))
    assert response.status_code == 200, response.content
    with AttachmentPayload.objects.get(sha2=sha256(signature)).file.open("rb") as handle:
        assert handle.read() == signature


def test_a_signed_statement_without_x5c_is_accepted(lrs, signer):
    """As the conformance suite signs: no certificate, so only the payload can be checked."""
    key, _ = signer
    data = statement(id=str(uuid.uuid4()))
    response = post_multipart(lrs, signed_body(data, jws(data, key)))
    assert response.status_code == 200, response.content


def test_a_signed_statement_with_another_attachment_is_accepted(lrs, signer):
    key, certificate = signer
    data = statement(id=str(uuid.uuid4()), attachments=[attachment(TEXT)])
    signature = jws({k: v for k, v in data.items() if k != "attachments"}, key, certificate)
    sent = {**data, "attachments": [*data["attachments"], attachment(signature, usageType=SIGNATURE)]}
    response = post_multipart(lrs, multipart(sent, [binary_part(TEXT), binary_part(signature)]))
    assert response.status_code == 200, response.content
    assert AttachmentPayload.objects.count() == 2


def test_the_payload_may_differ_by_what_the_lrs_assigns(lrs, signer):
    """Data 2.3.1.b1/b4/b5: an id assigned later, a timestamp in another zone, group members in another order."""
    key, certificate = signer
    members = [{"mbox": "mailto:a@example.org"}, {"mbox": "mailto:b@example.org"}]
    group = {"objectType": "Group", "member": members, "mbox": "mailto:team@example.org"}
    signed = statement(actor=group, timestamp="2024-05-01T12:00:00+02:00")
    sent = statement(
        id=str(uuid.uuid4()), actor={**group, "member": members[::-1]}, timestamp="2024-05-01T10:00:00.000Z"
    )
    response = post_multipart(lrs, signed_body(sent, jws(signed, key, certificate)))
    assert response.status_code == 200, response.content


def test_a_jws_whose_payload_differs_from_the_statement_is_rejected(lrs, signer):
    key, certificate = signer
    data = statement(id=str(uuid.uuid4()))
    other = statement(
        id=data["id"], verb={"id": "http://adlnet.gov/expapi/verbs/failed", "display": {"en-US": "failed"}}
    )
    response = post_multipart(lrs, signed_body(data, jws(other, key, certificate)))
    assert response.status_code == 400
    assert "signature does not match the statement" in error_message(response)
    assert nothing_stored()


def test_a_bad_rsa_signature_is_rejected(lrs, signer):
    _, certificate = signer
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data = statement(id=str(uuid.uuid4()))
    response = post_multipart(lrs, signed_body(data, jws(data, impostor, certificate)))
    assert response.status_code == 400
    assert "x5c" in error_message(response)
    assert nothing_stored()


def test_a_tampered_signature_is_rejected(lrs, signer):
    key, certificate = signer
    data = statement(id=str(uuid.uuid4()))
    head, payload, signature = jws(data, key, certificate).split(b".")
    flipped = bytearray(base64.urlsafe_b64decode(signature + b"=" * (-len(signature) % 4)))
    flipped[10] ^= 0x01
    response = post_multipart(lrs, signed_body(data, b".".join([head, payload, b64url(bytes(flipped)).encode()])))
    assert response.status_code == 400
    assert nothing_stored()


def test_a_signature_with_another_algorithm_is_rejected(lrs, signer):
    """Data 2.6.s4.b4 (conformance: HS256)."""
    data = statement(id=str(uuid.uuid4()))
    header = b64url(json.dumps({"alg": "HS256"}).encode())
    signature = f"{header}.{b64url(json.dumps(data).encode())}.{b64url(b'mac')}".encode()
    response = post_multipart(lrs, signed_body(data, signature))
    assert response.status_code == 400
    assert "RS256" in error_message(response)


def test_a_signature_attachment_must_be_octet_stream(lrs, signer):
    """Data 2.6.s4.b1 (conformance: contentType text/plain)."""
    key, _ = signer
    data = statement(id=str(uuid.uuid4()))
    response = post_multipart(lrs, signed_body(data, jws(data, key), content_type="text/plain; charset=ascii"))
    assert response.status_code == 400
    assert nothing_stored()


def test_a_payload_that_is_not_json_is_rejected(lrs, signer):
    """Data 2.6.s4.b3 (conformance: breakJson, a quote swapped for an apostrophe)."""
    key, _ = signer
    data = statement(id=str(uuid.uuid4()))
    broken = json.dumps(data).replace('"', "'", 1).encode()
    response = post_multipart(lrs, signed_body(data, jws(broken, key)))
    assert response.status_code == 400
    assert "JSON" in error_message(response)


@pytest.mark.parametrize("signature", [b"not a jws", b"a.b", b"\xff\xfe.\x00.x", b"e30.e30.***", b'{"payload": 1}'])
def test_a_signature_that_is_not_a_jws_is_rejected(lrs, signature):
    data = statement(id=str(uuid.uuid4()))
    response = post_multipart(lrs, signed_body(data, signature))
    assert response.status_code == 400
    assert nothing_stored()


def test_a_signature_sent_only_by_fileurl_is_rejected(lrs):
    data = statement(attachments=[attachment(b"jws", usageType=SIGNATURE, fileUrl="http://example.org/sig")])
    response = post_multipart(lrs, multipart(data))
    assert response.status_code == 400
    assert "multipart/mixed part" in error_message(response)


def test_an_unreadable_x5c_certificate_is_rejected(lrs, signer):
    key, _ = signer
    data = statement(id=str(uuid.uuid4()))
    header = b64url(json.dumps({"alg": "RS256", "x5c": ["bm90IGEgY2VydA=="]}).encode())
    signing_input = f"{header}.{b64url(json.dumps(data).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    response = post_multipart(lrs, signed_body(data, f"{signing_input}.{b64url(signature)}".encode()))
    assert response.status_code == 400
    assert "certificate" in error_message(response)


def test_the_jws_json_serialization_is_understood(lrs, signer):
    key, certificate = signer
    data = statement(id=str(uuid.uuid4()))
    head, payload, signature = jws(data, key, certificate).decode().split(".")
    flattened = json.dumps({"protected": head, "payload": payload, "signature": signature}).encode()
    response = post_multipart(lrs, signed_body(data, flattened))
    assert response.status_code == 200, response.content


# Data 2.3.1.s9: the comparison itself.


@pytest.mark.parametrize(
    "signed, sent, equal",
    [
        (
            {"verb": {"id": "v"}},
            {"verb": {"id": "v"}, "id": "x", "stored": "s", "authority": {}, "version": "1.0.0"},
            True,
        ),
        ({"id": "a"}, {"id": "b"}, False),
        ({"timestamp": "2024-01-01T00:00:00Z"}, {"timestamp": "2024-01-01T01:00:00.000+01:00"}, True),
        ({"timestamp": "2024-01-01T00:00:00Z"}, {"timestamp": "2024-01-01T00:00:01Z"}, False),
        ({"actor": {"mbox": "mailto:Ani@Example.ORG"}}, {"actor": {"mbox": "mailto:Ani@example.org"}}, True),
        ({"actor": {"mbox": "mailto:Ani@example.org"}}, {"actor": {"mbox": "mailto:ani@example.org"}}, False),
        ({"result": {"duration": "PT1H"}}, {"result": {"duration": "PT60M"}}, False),
        (
            {"object": {"objectType": "SubStatement", "timestamp": "2024-01-01T00:00:00Z"}},
            {"object": {"objectType": "SubStatement", "timestamp": "2024-01-01T00:00:00.000+00:00"}},
            True,
        ),
        ({"attachments": [1]}, {"attachments": [2]}, True),
        (
            {"context": {"team": {"objectType": "Group", "member": [{"name": "a"}, {"name": "b"}]}}},
            {"context": {"team": {"objectType": "Group", "member": [{"name": "b"}, {"name": "a"}]}}},
            True,
        ),
        ({"context": {"extensions": {"http://x": [1, 2]}}}, {"context": {"extensions": {"http://x": [2, 1]}}}, False),
    ],
)
def test_statement_comparison(signed, sent, equal):
    assert attachments.statements_equivalent(signed, sent) is equal
