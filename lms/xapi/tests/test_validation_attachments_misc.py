"""Attachments and the special data types: xAPI-Data 2.4.11 (Attachments), 2.6 (signature attachment),
4.1 (Extensions), 4.2 (Language Maps, RFC 5646 tags).

Cases follow the ADL LRS conformance suite (test/v1_0_3): attachments.js, languages.js,
formatting.js (XAPI-00013), extensions.js, E.Data2.6-SignedStatements.js.
"""

import copy

import pytest

from lms.xapi.tests.edits import DELETE
from lms.xapi.validation import (
    MAX_EXTENSION_DEPTH,
    XapiValidationError,
    validate_extensions,
    validate_language_map,
    validate_language_tag,
    validate_statement,
)

ATTACHMENT = {
    "usageType": "http://example.com/attachment-usage/test",
    "display": {"en-US": "A test attachment"},
    "description": {"en-US": "A test attachment (description)"},
    "contentType": "text/plain; charset=ascii",
    "length": 27,
    "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
    "fileUrl": "http://over.there.com/file.txt",
}
SIGNATURE = {
    "usageType": "http://adlnet.gov/expapi/attachments/signature",
    "display": {"en-US": "Signature"},
    "description": {"en-US": "A test signature"},
    "contentType": "application/octet-stream",
    "length": 4235,
    "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
}
BASE = {
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
    "object": {"id": "http://www.example.com/meetings/occurances/34534"},
    "attachments": [ATTACHMENT],
}


def attachment(**changes):
    value = copy.deepcopy(ATTACHMENT)
    for key, item in changes.items():
        if item is DELETE:
            value.pop(key, None)
        else:
            value[key] = item
    return value


def with_attachments(attachments, substatement=False):
    statement = copy.deepcopy(BASE)
    if substatement:
        del statement["attachments"]
        statement["object"] = {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:xapi@adlnet.gov"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"id": "http://www.example.com/meetings/occurances/34534"},
            "attachments": copy.deepcopy(attachments),
        }
    else:
        statement["attachments"] = copy.deepcopy(attachments)
    return statement


def assert_invalid(statement, path):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement(statement)
    assert raised.value.path == path, str(raised.value)
    return raised.value


# --- Data 2.4.11 Attachments ---------------------------------------------------------------------------


@pytest.mark.parametrize("substatement", [False, True], ids=["statement", "substatement"])
@pytest.mark.parametrize(
    "attachments",
    [
        [ATTACHMENT],
        [],
        [attachment(fileUrl=DELETE)],
        [attachment(description=DELETE)],
        [ATTACHMENT, attachment(usageType="http://adlnet.gov/expapi/attachments/completion-certificate")],
        [attachment(display={"en-US": "A test attachment", "es": "Un accesorio de prueba"})],
        [attachment(description={"en-US": "x", "es-MX": "Un accesorio de prueba (descripción)"})],
        [attachment(contentType="application/pdf")],
        [attachment(contentType="image/svg+xml")],
        [attachment(contentType='multipart/mixed; boundary="abc def"')],
        [attachment(contentType="text/plain;charset=UTF-8;format=flowed")],
        [attachment(length=0)],
        [attachment(length=2**40)],
        [attachment(sha2="495395E777CD98DA653DF9615D09C0FD6BB2F8D4788394CD53C56A3BFDCD848A")],
        [attachment(sha2="d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")],  # SHA-224
        [attachment(sha2="a" * 96)],  # SHA-384
        [attachment(sha2="b" * 128)],  # SHA-512
        [attachment(fileUrl="https://files.example.com/certificates/1.pdf?download=1")],
        [SIGNATURE],
        [{**SIGNATURE, "contentType": "Application/Octet-Stream"}],
    ],
)
def test_valid_attachments(attachments, substatement):
    """Data 2.4.11.s2 (attachments.js): usageType, display, contentType, length, sha2 required."""
    validate_statement(with_attachments(attachments, substatement))


@pytest.mark.parametrize(
    "attachments, suffix",
    [
        (ATTACHMENT, ""),
        ("should fail", ""),
        (None, ""),
        ([12345], "[0]"),
        (["should fail"], "[0]"),
        ([None], "[0]"),
        ([[ATTACHMENT]], "[0]"),
        ([ATTACHMENT, 12345], "[1]"),
        ([attachment(usageType="should fail")], "[0].usageType"),
        ([attachment(usageType="example.com/attachment-usage/test")], "[0].usageType"),
        ([attachment(usageType=DELETE)], "[0].usageType"),
        ([attachment(usageType=None)], "[0].usageType"),
        ([attachment(display=DELETE)], "[0].display"),
        ([attachment(display="should error")], "[0].display"),
        ([attachment(display={})], "[0].display"),
        ([attachment(display={"a12345": "should error"})], '[0].display["a12345"]'),
        ([attachment(display={"en-US": "x", "something": "y"})], '[0].display["something"]'),
        ([attachment(display={"en-US": "x", "de-419-DE": "y"})], '[0].display["de-419-DE"]'),
        ([attachment(description=12345)], "[0].description"),
        ([attachment(description="should error")], "[0].description"),
        ([attachment(description={})], "[0].description"),
        ([attachment(description={"a12345": "should error"})], '[0].description["a12345"]'),
        ([attachment(description={"en-US": "x", "de-419-DE": "y"})], '[0].description["de-419-DE"]'),
        ([attachment(contentType="should fail")], "[0].contentType"),
        ([attachment(contentType="text")], "[0].contentType"),
        ([attachment(contentType="text/")], "[0].contentType"),
        ([attachment(contentType="/plain")], "[0].contentType"),
        ([attachment(contentType="text/plain; charset")], "[0].contentType"),
        ([attachment(contentType="text plain")], "[0].contentType"),
        ([attachment(contentType="")], "[0].contentType"),
        ([attachment(contentType=DELETE)], "[0].contentType"),
        ([attachment(contentType=12345)], "[0].contentType"),
        ([attachment(length="should fail")], "[0].length"),
        ([attachment(length="27")], "[0].length"),
        ([attachment(length=27.5)], "[0].length"),
        ([attachment(length=27.0)], "[0].length"),
        ([attachment(length=-1)], "[0].length"),
        ([attachment(length=True)], "[0].length"),
        ([attachment(length=None)], "[0].length"),
        ([attachment(length=DELETE)], "[0].length"),
        ([attachment(sha2=12345)], "[0].sha2"),
        ([attachment(sha2=DELETE)], "[0].sha2"),
        ([attachment(sha2="")], "[0].sha2"),
        ([attachment(sha2="not a hash")], "[0].sha2"),
        ([attachment(sha2="495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848")], "[0].sha2"),
        ([attachment(sha2="z95395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a")], "[0].sha2"),
        ([attachment(sha2="cd9b00a5611f94eaa7b1661edab976068e364975")], "[0].sha2"),  # SHA-1 is not SHA-2
        ([attachment(fileUrl="should fail")], "[0].fileUrl"),
        ([attachment(fileUrl="over.there.com/file.txt")], "[0].fileUrl"),
        ([attachment(fileUrl=None)], "[0].fileUrl"),
        ([attachment(FileUrl="http://over.there.com/file.txt")], "[0].FileUrl"),
        ([attachment(data="SGVsbG8=")], "[0].data"),
        ([ATTACHMENT, attachment(length=-5)], "[1].length"),
    ],
)
@pytest.mark.parametrize("substatement", [False, True], ids=["statement", "substatement"])
def test_invalid_attachments(attachments, suffix, substatement):
    """Data 2.4.11 (XAPI-00025, XAPI-00102..107, attachments.js, languages.js)."""
    prefix = "statement.object.attachments" if substatement else "statement.attachments"
    assert_invalid(with_attachments(attachments, substatement), prefix + suffix)


@pytest.mark.parametrize(
    "content_type", ["text/plain; charset=ascii", "application/json", "application/jose", "application/octet-streams"]
)
def test_signature_attachment_content_type(content_type):
    """Data 2.6.s4.b1 (E.Data2.6 "bad contentType"): a signature is application/octet-stream."""
    assert_invalid(
        with_attachments([{**SIGNATURE, "contentType": content_type}]), "statement.attachments[0].contentType"
    )


# --- Data 4.1 Extensions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extensions",
    [
        {},
        {"http://example.com/ex": True},
        {"http://example.com/ex": 12345},
        {"http://example.com/ex": 1.5},
        {"http://example.com/ex": {"key": "valid"}},
        {"http://example.com/ex": "valid"},
        {"http://example.com/ex": None},
        {"http://example.com/ex": []},
        {"http://example.com/ex": [1, "two", None, {"three": [3]}]},
        {"urn:x-tangerang:jp": 4, "https://w3id.org/xapi/cmi5/context/extensions/sessionid": "abc"},
        {"http://example.com/ex": {"a": {"b": {"c": {"d": None}}}}},
    ],
)
def test_valid_extensions(extensions):
    """Data 4.1.s3 (extensions.js): IRI keys; the LRS MUST NOT reject based on the values."""
    validate_extensions(extensions, "extensions")
    statement = copy.deepcopy(BASE)
    statement["object"]["definition"] = {"extensions": extensions}
    statement["result"] = {"extensions": extensions}
    statement["context"] = {"extensions": extensions}
    validate_statement(statement)


@pytest.mark.parametrize(
    "extensions, path",
    [
        ("should fail", "extensions"),
        (12345, "extensions"),
        ([], "extensions"),
        (None, "extensions"),
        ({"should fail": True}, 'extensions["should fail"]'),
        ({"id": "valid", "description": {"en-US": "valid"}}, 'extensions["id"]'),
        ({"not.valid.com/extension": 1234}, 'extensions["not.valid.com/extension"]'),
        (
            {"http://example.com/ok": 1, "example.com/extension/wrong": 1234},
            'extensions["example.com/extension/wrong"]',
        ),
        ({"": 1}, 'extensions[""]'),
        ({1: "x"}, "extensions[1]"),
        ({"http://example.com/ex": float("nan")}, 'extensions["http://example.com/ex"]'),
    ],
)
def test_invalid_extensions(extensions, path):
    """Data 4.1.s3.b1 (XAPI-00118..120): the keys of an extensions map MUST be IRIs."""
    with pytest.raises(XapiValidationError) as raised:
        validate_extensions(extensions, "extensions")
    assert raised.value.path == path


def deep(depth):
    value = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


def test_extension_depth_limit():
    """Hostile input guard: containers nested deeper than MAX_EXTENSION_DEPTH are rejected, iteratively."""
    validate_extensions({"http://example.com/ex": deep(MAX_EXTENSION_DEPTH)}, "extensions")
    for depth in (MAX_EXTENSION_DEPTH + 1, 50_000):
        with pytest.raises(XapiValidationError) as raised:
            validate_extensions({"http://example.com/ex": deep(depth)}, "extensions")
        assert raised.value.path == 'extensions["http://example.com/ex"]'


def test_wide_extensions_are_fine():
    """Width is not limited: 10 000 siblings at shallow depth validate."""
    validate_extensions({"http://example.com/ex": [{"i": i, "v": [i, str(i)]} for i in range(10_000)]}, "extensions")


# --- Data 4.2 Language maps and RFC 5646 tags ----------------------------------------------------------

VALID_TAGS = [
    "en",
    "de",
    "es",
    "tlh",
    "ine",
    "cmn",
    "ase",
    "und",
    "en-US",
    "en-GB",
    "de-DE",
    "es-MX",
    "es-419",
    "fr-CA",
    "id-ID",
    "zh-Hant",
    "zh-Hans-CN",
    "zh-cmn-Hans-CN",
    "zh-yue-HK",
    "sr-Latn",
    "sr-Latn-RS",
    "sr-Cyrl",
    "sl-rozaj",
    "sl-rozaj-biske",
    "sl-nedis",
    "de-CH-1901",
    "sl-IT-nedis",
    "hy-Latn-IT-arevela",
    "en-a-bbb-x-a-ccc",
    "en-US-u-islamcal",
    "de-DE-u-co-phonebk",
    "az-Arab-x-AZE-derbend",
    "x-whatever",
    "qaa-Qaaa-QM-x-southern",
    "i-enochian",
    "i-klingon",
    "en-GB-oed",
    "sgn-BE-FR",
    "art-lojban",
    "zh-min-nan",
    "EN-us",
    "ZH-hANT-tw",
]
INVALID_TAGS = [
    "",
    "7",
    "a",
    "a12345",
    "a12345678",
    "something",
    "supercalifragilisticexpialidociouswhatabouthhhhhhh",
    "en-",
    "-en",
    "en--US",
    "en_US",
    "en US",
    "de-419-DE",
    "a-DE",
    "ar-a-aaa-b-bbb-a-ccc",
    "zh-z-aaa-z-bbb-c-ccc",
    "de-DE-1901-1901",
    "en-x",
    "x",
    "en-a",
    "en-US-x-abcdefghi",
    "i-notatag",
    "en-USA1",
    "1en",
    "en-" + "a" * 300,
    "en-\u212a\u212a",  # Kelvin sign folds to "k" under Unicode case-insensitivity; not ASCII
    "\u017fr",  # long s
    "en-\u0661\u0664\u0661",  # Arabic-Indic digits as a region
]


@pytest.mark.parametrize("tag", VALID_TAGS)
def test_valid_language_tags(tag):
    """Data 4.2 / 2.2 (XAPI-00013, XAPI-00121, formatting.js): well-formed RFC 5646 tags, any case."""
    validate_language_tag(tag, "language")
    validate_language_map({tag: "text"}, "display")
    statement = copy.deepcopy(BASE)
    statement["verb"]["display"] = {tag: "attended"}
    statement["context"] = {"language": tag}
    validate_statement(statement)


@pytest.mark.parametrize("tag", INVALID_TAGS)
def test_invalid_language_tags(tag):
    """Data 4.2 (XAPI-00013, XAPI-00121): ill-formed tags, two regions, repeated singletons or variants."""
    with pytest.raises(XapiValidationError) as raised:
        validate_language_tag(tag, "context.language")
    assert raised.value.path == "context.language"
    with pytest.raises(XapiValidationError) as raised:
        validate_language_map({"en-US": "ok", tag: "text"}, "display")
    assert raised.value.path == f'display["{tag}"]'


@pytest.mark.parametrize(
    "value, path",
    [
        ({}, "display"),
        ("should error", "display"),
        (["en-US", "attended"], "display"),
        (None, "display"),
        ({"en-US": None}, 'display["en-US"]'),
        ({"en-US": 12}, 'display["en-US"]'),
        ({"en-US": {"text": "attended"}}, 'display["en-US"]'),
        ({"en-US": ["attended"]}, 'display["en-US"]'),
        ({1: "attended"}, "display[1]"),
    ],
)
def test_invalid_language_maps(value, path):
    """Data 4.2 (languages.js): an object of tag -> string with at least one entry."""
    with pytest.raises(XapiValidationError) as raised:
        validate_language_map(value, "display")
    assert raised.value.path == path


@pytest.mark.parametrize("value", [12345, None, {"a12345": "should fail"}, ["en"]])
def test_language_tag_must_be_a_string(value):
    with pytest.raises(XapiValidationError):
        validate_language_tag(value, "language")


def test_language_map_values_may_be_empty_strings():
    validate_language_map({"en-US": "", "id-ID": "Pelajaran 1 <b>bold</b>"}, "display")


def test_many_distinct_tags_do_not_break_validation():
    """The cache of tags seen valid is bounded; beyond it tags are still validated correctly."""
    for index in range(5000):
        validate_language_tag(f"en-x-{index:05d}", "language")
    validate_language_tag("en-x-99999", "language")
    with pytest.raises(XapiValidationError):
        validate_language_tag("en-x-abcdefghi", "language")
