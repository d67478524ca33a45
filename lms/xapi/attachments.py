"""Statement attachments: the multipart/mixed transmission format (Communication 1.5.2), the payload
store (one file per SHA-2, shared by every statement that carries it) and signed statements (Data 2.6).

A request body is parsed by hand rather than with the ``email`` package: attachment parts are raw
binary, and every malformation has to become a clear 400, never a 500."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.dateparse import parse_datetime
from django.utils.http import parse_header_parameters

from .http import XapiError, XapiRequest, parse_json
from .models import AttachmentPayload, Statement

logger = logging.getLogger(__name__)

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"
JWS_ALGORITHMS = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}
# The sha2 property may hold any SHA-2 digest (Communication 1.5.2.s4.b4 recommends 256, 384 or 512), told
# apart by length.
_DIGESTS = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}
_HEX = re.compile(r"[0-9a-f]+")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_MAX_BOUNDARY = 200  # RFC 2046 says 70; be lenient, but not unbounded.
_JWS_MAX_BYTES = 1024 * 1024


# --- Communication 1.5.2: the multipart/mixed transmission format -------------------------------------------


@dataclass(frozen=True)
class _Part:
    number: int  # 1-based, as a client would count the parts
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def content_type(self) -> str:
        return _media_type(self.headers.get("content-type", ""))


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _boundary(content_type: str) -> bytes:
    _, params = parse_header_parameters(content_type)
    boundary = params.get("boundary", "")
    if not boundary:
        raise XapiError(
            400,
            "multipart/mixed needs a boundary parameter in the Content-Type header "
            "(Content-Type: multipart/mixed; boundary=...).",
        )
    if len(boundary) > _MAX_BOUNDARY or any(ord(c) < 32 or ord(c) > 126 for c in boundary):
        raise XapiError(400, "The multipart boundary must be 1 to 70 printable ASCII characters (RFC 2046).")
    return boundary.encode("ascii")


def _split_parts(body: bytes, boundary: bytes) -> list[_Part]:
    """The body parts between the delimiters (RFC 2046 5.1.1). The delimiter is CRLF "--" boundary; a bare LF
    is tolerated too, since some clients (and the ADL conformance fixtures) send LF line endings."""
    delimiter = re.compile(rb"(?:\A|\r?\n)--" + re.escape(boundary) + rb"(--|[ \t]*\r?\n)")
    matches = list(delimiter.finditer(body))
    if not matches:
        raise XapiError(
            400,
            "The multipart/mixed body has no part: the boundary given in the Content-Type header "
            "never occurs in the body as a delimiter line (--boundary).",
        )
    segments: list[bytes] = []
    closed = False
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        if match.group(1) == b"--":
            closed = True
            break
        end = following.start() if following is not None else len(body)
        segments.append(body[match.end() : end])
    if not closed:
        raise XapiError(400, "The multipart/mixed body does not end with the closing delimiter (--boundary--).")
    if not segments:
        raise XapiError(400, "The multipart/mixed body has no part before its closing delimiter.")
    return [_parse_part(number, segment) for number, segment in enumerate(segments, start=1)]


def _parse_part(number: int, segment: bytes) -> _Part:
    if segment.startswith(b"\r\n"):
        head, body = b"", segment[2:]
    elif segment.startswith(b"\n"):
        head, body = b"", segment[1:]
    else:
        ends = [(i, sep) for sep in (b"\r\n\r\n", b"\n\n") if (i := segment.find(sep)) >= 0]
        if not ends:
            raise XapiError(400, f"Multipart part {number}: no blank line separates its headers from its content.")
        index, sep = min(ends)
        head, body = segment[:index], segment[index + len(sep) :]
    headers: dict[str, str] = {}
    lines: list[bytes] = []
    for line in re.split(rb"\r?\n", head) if head else []:
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += b" " + line.strip()
        else:
            lines.append(line)
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name.strip()):
            shown = line[:60].decode("latin-1")
            raise XapiError(400, f"Multipart part {number}: malformed header line {shown!r} (expected Name: value).")
        headers[name.strip().decode("ascii").lower()] = value.strip().decode("latin-1")
    return _Part(number, headers, body)


def _stored_hash_length() -> int:
    """The longest sha2 AttachmentPayload can hold as its key (a SHA-384/512 payload is refused with a 400
    rather than failing at the database)."""
    return AttachmentPayload._meta.get_field("sha2").max_length


def _digest_matches(declared: str, content: bytes) -> bool:
    algorithm = _DIGESTS.get(len(declared))
    if algorithm is None:
        return False
    return hmac.compare_digest(algorithm(content).hexdigest(), declared)


def _attachment_objects(statements: list[Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(path, attachment, statement) for every attachment object of the statements and their SubStatements."""
    many = len(statements) != 1
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            continue
        prefix = f"statements[{index}]" if many else "statement"
        holders = [(prefix, statement)]
        obj = statement.get("object")
        if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
            holders.append((f"{prefix}.object", obj))
        for path, holder in holders:
            attachments = holder.get("attachments")
            if not isinstance(attachments, list):
                continue
            for position, attachment in enumerate(attachments):
                if isinstance(attachment, dict):
                    yield f"{path}.attachments[{position}]", attachment, statement


def _sha2(attachment: dict[str, Any]) -> str | None:
    value = attachment.get("sha2")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def statements_from_multipart(req: XapiRequest) -> Any:
    """The statement(s) of a multipart/mixed PUT or POST. Sets ``req.attachment_parts`` to {sha2: (content
    type, bytes)} for every attachment part, after checking that each part is declared by an attachment,
    each attachment without fileUrl has its part, and every signature attachment holds a valid JWS."""
    boundary = _boundary(req.headers.get("content-type", ""))
    first, *rest = _split_parts(req.body, boundary)

    # 1.5.2.s2.b2.b1: the first part holds all the statements, as application/json.
    if first.content_type != "application/json":
        shown = first.headers.get("content-type") or "none"
        raise XapiError(
            400,
            f"The first multipart part must hold the statements with Content-Type application/json (it has {shown}).",
        )
    try:
        payload = parse_json(first.body)
    except XapiError as error:
        detail = error.message.replace("The body", "Its content", 1)
        raise XapiError(400, f"Multipart part 1 (the statements): {detail}") from None
    statements = payload if isinstance(payload, list) else [payload]

    # 1.5.2.s2.b2.b3 and b4: every further part carries X-Experience-API-Hash and Content-Transfer-Encoding: binary,
    # and its content must hash to that value (1.5.2.s1.b4: parts are matched by SHA-2 and no other way).
    received: dict[str, tuple[str, bytes]] = {}
    for part in rest:
        declared = part.headers.get("x-experience-api-hash", "").strip().lower()
        if not declared:
            raise XapiError(
                400,
                f"Multipart part {part.number}: the X-Experience-API-Hash header is required on every attachment part.",
            )
        if not _HEX.fullmatch(declared) or len(declared) not in _DIGESTS:
            raise XapiError(
                400,
                f"Multipart part {part.number}: X-Experience-API-Hash must be a hex SHA-224, SHA-256, "
                "SHA-384 or SHA-512 digest.",
            )
        if len(declared) > _stored_hash_length():
            raise XapiError(
                400,
                f"Multipart part {part.number}: this LRS keeps attachments by SHA-224 or SHA-256 hash only "
                f"({_stored_hash_length()} hex digits); send the sha2 of the attachment as SHA-256.",
            )
        encoding = part.headers.get("content-transfer-encoding", "").strip().lower()
        if encoding != "binary":
            raise XapiError(
                400,
                f"Multipart part {part.number}: attachment parts need Content-Transfer-Encoding: "
                f"binary (got {encoding or 'none'}).",
            )
        if not _digest_matches(declared, part.body):
            raise XapiError(
                400, f"Multipart part {part.number}: its content does not hash to its X-Experience-API-Hash {declared}."
            )
        received[declared] = (part.headers.get("content-type", "").strip(), part.body)

    # 1.5.2.s3.b5: an attachment without fileUrl must have its part; and a part no attachment declares is an
    # excess section (conformance XAPI-00128).
    declared_types: dict[str, str] = {}
    for path, attachment, _statement in _attachment_objects(statements):
        sha2 = _sha2(attachment)
        if sha2 is None:
            continue  # validation reports the missing or malformed sha2
        content_type = attachment.get("contentType")
        declared_types.setdefault(sha2, content_type if isinstance(content_type, str) else "")
        if "fileUrl" not in attachment and sha2 not in received:
            raise XapiError(
                400, f"{path}: no multipart part has X-Experience-API-Hash {sha2}, and the attachment has no fileUrl."
            )
    for sha2 in received:
        if sha2 not in declared_types:
            raise XapiError(
                400,
                f"The multipart part with X-Experience-API-Hash {sha2} belongs to no attachment "
                "of the statements (its hash matches no sha2).",
            )

    parts = {
        sha2: (_clean_content_type(content_type or declared_types[sha2]), content)
        for sha2, (content_type, content) in received.items()
    }
    verify_signatures(statements, parts)
    req.attachment_parts = parts
    return payload


def _clean_content_type(value: str) -> str:
    value = re.sub(r"[\x00-\x1f\x7f]", "", value or "").strip()
    return value[:255] or "application/octet-stream"


# --- Data 2.6: signed statements ------------------------------------------------------------------------------


def verify_signatures(statements: list[Any], parts: dict[str, tuple[str, bytes]]) -> None:
    """Data 2.6.s5.b3: every signature attachment of a statement must be a well-formed JWS (RS256/384/512)
    whose payload is logically equivalent to the statement, and whose signature verifies against the x5c
    certificate when the header carries one. Raises XapiError(400) otherwise."""
    for path, attachment, statement in _attachment_objects(statements):
        if attachment.get("usageType") != SIGNATURE_USAGE or ".object.attachments[" in path:
            continue  # (a signature inside a SubStatement is not a signature of the statement)
        if _media_type(str(attachment.get("contentType", ""))) != SIGNATURE_CONTENT_TYPE:
            raise XapiError(
                400, f"{path}: a signature attachment must have contentType {SIGNATURE_CONTENT_TYPE} (Data 2.6.s4.b1)."
            )
        sha2 = _sha2(attachment)
        if sha2 is None or sha2 not in parts:
            raise XapiError(
                400,
                f"{path}: the signature (a JWS) must be sent as a multipart/mixed part so that the LRS can verify it.",
            )
        _verify_jws(path, parts[sha2][1], statement)


def _b64url_decode(segment: str) -> bytes:
    if not _B64URL.fullmatch(segment):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _jws_parts(path: str, raw: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, payload bytes, signing input, signature) of a JWS in compact serialization, or in the flattened or
    general JSON serialization (discouraged by Data 2.6.s4.b2 but not forbidden)."""
    if len(raw) > _JWS_MAX_BYTES:
        raise XapiError(400, f"{path}: the signature is larger than a JWS of a statement can be.")
    try:
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise XapiError(400, f"{path}: the signature is not a JWS (it is not ASCII text).") from None
    try:
        if text.startswith("{"):
            document = json.loads(text)
            signature_object = document["signatures"][0] if "signatures" in document else document
            protected_b64 = signature_object.get("protected", "")
            payload_b64 = document["payload"]
            signature = _b64url_decode(signature_object["signature"])
            header = json.loads(_b64url_decode(protected_b64)) if protected_b64 else {}
            if not isinstance(header, dict):
                raise ValueError("header is not an object")
            header = {**(signature_object.get("header") or {}), **header}
        else:
            segments = text.split(".")
            if len(segments) != 3:
                raise ValueError("a compact JWS has three dot-separated parts")
            protected_b64, payload_b64, signature_b64 = segments
            header = json.loads(_b64url_decode(protected_b64))
            signature = _b64url_decode(signature_b64)
        if not isinstance(header, dict) or not isinstance(payload_b64, str) or not isinstance(protected_b64, str):
            raise ValueError("malformed JWS")
        payload = _b64url_decode(payload_b64)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        raise XapiError(
            400,
            f"{path}: the signature is not a well-formed JWS (RFC 7515 compact serialization: "
            "header.payload.signature, each base64url).",
        ) from None
    signing_input = f"{protected_b64}.{payload_b64}".encode("ascii")
    return header, payload, signing_input, signature


def _verify_jws(path: str, raw: bytes, statement: dict[str, Any]) -> None:
    header, payload, signing_input, signature = _jws_parts(path, raw)
    algorithm = header.get("alg")
    if algorithm not in JWS_ALGORITHMS:
        raise XapiError(
            400, f"{path}: the JWS algorithm must be RS256, RS384 or RS512 (it is {algorithm!r}; Data 2.6.s4.b4)."
        )
    try:
        signed = parse_json(payload)
    except XapiError:
        raise XapiError(
            400, f"{path}: the JWS payload is not a valid JSON serialization of the statement (Data 2.6.s4.b3)."
        ) from None
    if not isinstance(signed, dict):
        raise XapiError(400, f"{path}: the JWS payload must be the statement as a JSON object (Data 2.6.s4.b3).")
    if not statements_equivalent(signed, statement):
        raise XapiError(
            400,
            f"{path}: the signature does not match the statement: the JWS payload differs from the "
            "statement sent (Data 2.6.s5.b3.b2).",
        )
    if "x5c" in header:
        _verify_with_certificate(path, header["x5c"], JWS_ALGORITHMS[algorithm](), signing_input, signature)


def _verify_with_certificate(
    path: str, chain: Any, digest: hashes.HashAlgorithm, signing_input: bytes, signature: bytes
) -> None:
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise XapiError(400, f"{path}: the JWS header x5c must be a non-empty array of base64 DER certificates.")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        public_key = certificate.public_key()
    except (ValueError, binascii.Error, UnsupportedAlgorithm):
        raise XapiError(400, f"{path}: the first x5c certificate of the JWS header cannot be read.") from None
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise XapiError(400, f"{path}: the x5c certificate must hold an RSA public key for RS256/384/512.")
    try:
        public_key.verify(signature, signing_input, padding.PKCS1v15(), digest)
    except InvalidSignature:
        raise XapiError(
            400,
            f"{path}: the signature does not match the statement: the JWS signature does not "
            "verify against its x5c certificate (Data 2.6.s5.b3.b3).",
        ) from None


# Data 2.3.1: what the LRS may assign or re-serialize, and so what a comparison must not hold against a statement.
_ASSIGNED = ("id", "authority", "version", "timestamp")


def statements_equivalent(signed: dict[str, Any], sent: dict[str, Any]) -> bool:
    """Data 2.3.1.s9 statement comparison of the JWS payload with the statement as sent. Ignored: attachments
    (2.3.1.b6), stored, and id / authority / version / timestamp when only one side has them (2.3.1.b1);
    timestamps compare as instants (b4), Group members in any order (b5), mbox domains in any case (b7).
    Everything else, result.duration included (b8), must be equal as JSON values."""
    left = {k: v for k, v in signed.items() if k not in ("attachments", "stored")}
    right = {k: v for k, v in sent.items() if k not in ("attachments", "stored")}
    for name in _ASSIGNED:
        if name not in left or name not in right:
            left.pop(name, None)
            right.pop(name, None)
    return _normal(left, statement=True) == _normal(right, statement=True)


def _instant(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return ("instant", parsed.astimezone(dt.UTC).isoformat())


def _mbox(value: Any) -> Any:
    if not isinstance(value, str) or "@" not in value:
        return value
    local, _, domain = value.rpartition("@")
    scheme, colon, rest = local.partition(":")
    return f"{scheme.lower()}{colon}{rest}@{domain.lower()}" if colon else f"{local}@{domain.lower()}"


def _normal(value: Any, statement: bool = False) -> Any:
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for name, item in value.items():
        if name == "mbox":
            result[name] = _mbox(item)
        elif statement and name == "timestamp":
            result[name] = _instant(item)
        elif name == "object" and isinstance(item, dict) and item.get("objectType") == "SubStatement":
            result[name] = _normal(item, statement=True)
        else:
            result[name] = _normal(item)
    if value.get("objectType") == "Group" and isinstance(result.get("member"), list):
        result["member"] = sorted(result["member"], key=lambda m: json.dumps(m, sort_keys=True, default=str))
    return result


# --- Storage of payloads --------------------------------------------------------------------------------------


def _held(sha2s: list[str]) -> set[str]:
    return set(AttachmentPayload.objects.filter(sha2__in=sha2s).values_list("sha2", flat=True))


def attachments_store(parts: dict[str, tuple[str, bytes]]) -> None:
    """Keep each payload once per sha2. A payload already held is left alone; a concurrent request storing the
    same sha2 at the same moment wins quietly (its row and file are kept, ours is dropped)."""
    if not parts:
        return
    held = _held(list(parts))
    for sha2, (content_type, content) in parts.items():
        if sha2 in held:
            continue
        payload = AttachmentPayload(sha2=sha2, content_type=_clean_content_type(content_type), length=len(content))
        payload.file.save(sha2, ContentFile(content), save=False)
        try:
            with transaction.atomic():
                payload.save(force_insert=True)
        except IntegrityError:
            # The twin's row won; storage gave our file another name, so removing it leaves the twin's intact.
            payload.file.delete(save=False)


# --- Communication 2.1.3: GET with attachments=true -----------------------------------------------------------


def multipart_response(rows: list[Statement], body: Any, headers: dict[str, str]) -> HttpResponse:
    """The statement result as multipart/mixed: the JSON first, then one part per distinct sha2 that the returned
    statements' attachments reference and that this LRS holds (fileUrl-only attachments have no part)."""
    wanted: list[str] = []
    for row in rows:
        for _path, attachment, _statement in _attachment_objects([row.data]):
            sha2 = _sha2(attachment)
            if sha2 and sha2 not in wanted:
                wanted.append(sha2)
    held = AttachmentPayload.objects.in_bulk(wanted) if wanted else {}
    payloads: list[tuple[AttachmentPayload, bytes]] = []
    for sha2 in wanted:
        payload = held.get(sha2)
        if payload is None:
            continue
        try:
            with payload.file.open("rb") as handle:
                payloads.append((payload, handle.read()))
        except OSError:
            logger.error("Attachment payload %s is missing from storage (%s).", sha2, payload.file.name)

    document = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    boundary = secrets.token_hex(20)
    while any(boundary.encode() in chunk for chunk in [document, *(content for _, content in payloads)]):
        boundary = secrets.token_hex(20)
    delimiter = b"--" + boundary.encode("ascii")
    chunks = [delimiter, b"\r\nContent-Type: application/json\r\n\r\n", document]
    for payload, content in payloads:
        chunks += [
            b"\r\n",
            delimiter,
            f"\r\nContent-Type: {_clean_content_type(payload.content_type)}\r\nContent-Transfer-Encoding: binary"
            f"\r\nX-Experience-API-Hash: {payload.sha2}\r\n\r\n".encode("latin-1", "replace"),
            content,
        ]
    chunks += [b"\r\n", delimiter, b"--\r\n"]
    response = HttpResponse(b"".join(chunks), content_type=f"multipart/mixed; boundary={boundary}")
    for name, value in headers.items():
        response[name] = value
    return response
