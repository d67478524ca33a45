"""Statement-level validation: xAPI-Data 2.2 (formatting), 2.3.2 (voiding), 2.4 (statement properties:
id, timestamp, stored, version), 4.4 (UUIDs), 4.5 (timestamps), batches and hostile input.

Cases follow the ADL LRS conformance suite (test/v1_0_3): formatting.js, statements.js, uuids.js,
timestamps.js, timestamp_property.js, version.js, voiding.js.
"""

import copy
import uuid

import pytest

from lms.xapi.tests.edits import DELETE, edited
from lms.xapi.validation import (
    MAX_EXTENSION_DEPTH,
    XapiValidationError,
    validate_statement,
    validate_statement_batch,
    validate_timestamp,
    validate_uuid,
    validate_version,
)

BASE = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "actor": {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
    "object": {
        "objectType": "Activity",
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {
            "name": {"en-US": "example meeting"},
            "description": {"en-US": "An example meeting."},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
            "extensions": {"http://example.com/profiles/meetings/extension/location": "X:\\meetings"},
        },
    },
    "result": {"score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100}, "success": True, "duration": "PT1H0M0S"},
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {"parent": [{"id": "http://www.example.com/meetings/series/267"}]},
        "revision": "rev_10_3_2",
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
        "extensions": {"http://example.com/profiles/meetings/contextextensions/airspeed": "600mph"},
    },
    "timestamp": "2013-05-18T05:32:34.804Z",
}


def build(*edits, base=BASE):
    return edited(base, *edits)


def assert_invalid(statement, path):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement(statement)
    assert raised.value.path == path, str(raised.value)
    return raised.value


def test_base_statement_is_valid():
    """Data 2.4: the fixture itself, a statement using most properties, is accepted."""
    validate_statement(build())


def test_simplest_statement_is_valid():
    """Data 2.4.s2: the simplest possible statement (actor, verb, object only)."""
    validate_statement(
        {
            "actor": {"mbox": "mailto:xapi@adlnet.gov"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/created"},
            "object": {"id": "http://example.adlnet.gov/xapi/example/activity"},
        }
    )


APPENDIX_A_LONG_EXAMPLE = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "name": "Team PB",
        "mbox": "mailto:teampb@example.com",
        "member": [
            {
                "name": "Andrew Downes",
                "account": {"homePage": "http://www.example.com", "name": "13936749"},
                "objectType": "Agent",
            },
            {"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"},
            {"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"},
        ],
        "objectType": "Group",
    },
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
    "result": {
        "extensions": {
            "http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes"
        },
        "success": True,
        "completion": True,
        "response": "We agreed on some example actions.",
        "duration": "PT1H0M0S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
            "category": [
                {
                    "id": "http://www.example.com/meetings/categories/teammeeting",
                    "objectType": "Activity",
                    "definition": {
                        "name": {"en": "team meeting"},
                        "description": {"en": "A category of meeting used for regular team meetings."},
                        "type": "http://example.com/expapi/activities/meetingcategory",
                    },
                }
            ],
            "other": [
                {"id": "http://www.example.com/meetings/occurances/34257", "objectType": "Activity"},
                {"id": "http://www.example.com/meetings/occurances/3425567", "objectType": "Activity"},
            ],
        },
        "instructor": {
            "name": "Andrew Downes",
            "account": {"homePage": "http://www.example.com", "name": "13936749"},
            "objectType": "Agent",
        },
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {"account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}, "objectType": "Agent"},
    "version": "1.0.0",
    "object": {
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {
            "extensions": {
                "http://example.com/profiles/meetings/activitydefinitionextensions/room": {
                    "name": "Kilby",
                    "id": "http://example.com/rooms/342",
                }
            },
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {"en-GB": "An example meeting.", "en-US": "An example meeting."},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
        },
        "objectType": "Activity",
    },
}


def test_specification_long_example_is_valid():
    """Data Appendix A: the long example statement as returned by an LRS (stored, authority, version)."""
    validate_statement(APPENDIX_A_LONG_EXAMPLE)


def test_error_formats_as_path_and_message():
    """The error names the offending property; str() is "path: message"; it is a ValueError."""
    error = assert_invalid(build(("actor.mbox", "http://should.fail.com")), "statement.actor.mbox")
    assert isinstance(error, ValueError)
    assert str(error) == f"statement.actor.mbox: {error.message}"
    assert error.message


def test_custom_root_path():
    with pytest.raises(XapiValidationError) as raised:
        validate_statement(build(("verb.id", "nope")), path="statements[7]")
    assert raised.value.path == "statements[7].verb.id"


# --- Data 2.2 Formatting requirements ------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, [], "statement", 12, True])
def test_statement_must_be_an_object(value):
    """Data 2.2: a Statement is a JSON object."""
    assert_invalid(value, "statement")


@pytest.mark.parametrize(
    "edit, path",
    [
        (("actor.name", None), "statement.actor.name"),
        (("verb.display.en-US", None), 'statement.verb.display["en-US"]'),
        (("context.registration", None), "statement.context.registration"),
        (("object.definition.moreInfo", None), "statement.object.definition.moreInfo"),
        (("id", None), "statement.id"),
        (("actor", None), "statement.actor"),
        (("verb", None), "statement.verb"),
        (("object", None), "statement.object"),
        (("result", None), "statement.result"),
        (("context", None), "statement.context"),
        (("timestamp", None), "statement.timestamp"),
        (("stored", None), "statement.stored"),
        (("authority", None), "statement.authority"),
        (("version", None), "statement.version"),
        (("attachments", None), "statement.attachments"),
        (("result.score.raw", None), "statement.result.score.raw"),
        (("result.success", None), "statement.result.success"),
        (("context.contextActivities.parent", None), "statement.context.contextActivities.parent"),
        (("object.definition", None), "statement.object.definition"),
        (("object.definition.extensions", None), "statement.object.definition.extensions"),
    ],
)
def test_null_values_are_rejected(edit, path):
    """Data 2.2.s4.b1.b1 (XAPI-00001): null is rejected wherever a value is expected."""
    assert_invalid(build(edit), path)


@pytest.mark.parametrize(
    "path",
    [
        ("object", "definition", "extensions", "http://example.com/null"),
        ("result", "extensions", "http://example.com/null"),
        ("context", "extensions", "http://example.com/null"),
    ],
)
def test_null_inside_extensions_is_accepted(path):
    """Data 2.2.s4.b1.b1 (XAPI-00001): ... except inside an extensions object."""
    statement = build()
    statement["result"]["extensions"] = {}
    validate_statement(build((path, None), base=statement))


@pytest.mark.parametrize(
    "edit, path",
    [
        (("result.score.max", "one hundred"), "statement.result.score.max"),
        (("result.score.max", "100"), "statement.result.score.max"),
        (("result.success", "We regret to inform you that your effort was unsuccessful."), "statement.result.success"),
        (("result.completion", "false"), "statement.result.completion"),
        (("actor", "mailto:xapi@adlnet.gov"), "statement.actor"),
        (("verb", "http://adlnet.gov/expapi/verbs/attended"), "statement.verb"),
        (("object", "http://www.example.com/meetings/occurances/34534"), "statement.object"),
        (("result", "passed"), "statement.result"),
        (("context", []), "statement.context"),
        (("attachments", {}), "statement.attachments"),
    ],
)
def test_wrong_data_types_are_rejected(edit, path):
    """Data 2.2.s4.b2 (XAPI-00006): strings where numbers/booleans/objects are required."""
    assert_invalid(build(edit), path)


@pytest.mark.parametrize(
    "edit, path",
    [
        (("id", ""), "statement.id"),
        (("verb.id", ""), "statement.verb.id"),
        (("object.id", ""), "statement.object.id"),
        (("actor.mbox", ""), "statement.actor.mbox"),
        (("context.registration", ""), "statement.context.registration"),
        (("timestamp", ""), "statement.timestamp"),
        (("object.definition.type", ""), "statement.object.definition.type"),
    ],
)
def test_empty_string_where_a_format_is_required(edit, path):
    """Data 2.2.s4.b4 (XAPI-00007): the empty string is not a UUID, IRI or mailto IRI."""
    assert_invalid(build(edit), path)


@pytest.mark.parametrize(
    "key",
    [
        "iD",
        "Actor",
        "veRb",
        "oBject",
        "RESULT",
        "conText",
        "timeStamp",
        "STOred",
        "auTHORity",
        "Version",
        "attachmentS",
    ],
)
def test_keys_are_case_sensitive(key):
    """Data 2.2.s4.b1.b5 (XAPI-00008): a key whose case differs from the specification is rejected."""
    statement = build()
    statement[key] = "2013-05-18T05:32:34.804Z"
    assert_invalid(statement, f"statement.{key}")


@pytest.mark.parametrize("key", ["objectType", "extensions", "foo", "definition", "display"])
def test_unknown_statement_property_is_rejected(key):
    """Data 2.2 (XAPI-00010): a key not allowed by the specification is rejected, and named."""
    statement = build()
    statement[key] = {}
    error = assert_invalid(statement, f"statement.{key}")
    assert "not a property" in error.message


@pytest.mark.parametrize("missing", ["actor", "verb", "object"])
def test_required_properties(missing):
    """Data 2.2.s2.b3 (XAPI-00003/4/5): actor, verb and object are required."""
    assert_invalid(build((missing, DELETE)), f"statement.{missing}")


@pytest.mark.parametrize("optional", ["id", "result", "context", "timestamp"])
def test_optional_properties_may_be_omitted(optional):
    """Data 2.4.s1: id, result, context, timestamp, stored, authority, version, attachments are optional."""
    validate_statement(build((optional, DELETE)))


# --- Data 2.4.1 id, 4.4 UUIDs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "AA97B177-9383-4934-8543-0F91A7A02836",
        "12345678-1234-5678-1234-567812345678",  # the specification's own example (not an RFC 4122 variant)
        "00000000-0000-0000-0000-000000000000",
        str(uuid.uuid1()),
        str(uuid.uuid4()),
        str(uuid.uuid5(uuid.NAMESPACE_URL, "http://example.com")),
    ],
)
def test_valid_statement_ids(value):
    """Data 2.4.1 / 4.4: a UUID in standard string form, any case."""
    validate_statement(build(("id", value)))
    validate_uuid(value, "id")


@pytest.mark.parametrize(
    "value",
    [
        "AA97B177-9383-4934-8543-0F91A7A028368",  # too many digits
        "MA97B177-9383-4934-8543-0F91A7A02836",  # not hexadecimal
        "AA97B177938349348543 0F91A7A02836",
        "aa97b17793834934854300f91a7a02836",
        "{aa97b177-9383-4934-8543-0f91a7a02836}",
        "urn:uuid:aa97b177-9383-4934-8543-0f91a7a02836",
        "aa97b177-9383-4934-8543-0f91a7a02836\n",
        " aa97b177-9383-4934-8543-0f91a7a02836",
        "should fail",
        12345,
        {"key": "should fail"},
        ["fd41c918-b88b-4b20-a0a5-a4c32391aaa0"],
    ],
)
def test_invalid_statement_ids(value):
    """Data 2.2.s4.b4 / 4.4 (XAPI-00007, uuids.js): non-UUIDs are rejected."""
    assert_invalid(build(("id", value)), "statement.id")
    with pytest.raises(XapiValidationError):
        validate_uuid(value, "id")


# --- Data 2.4.7 timestamp, 2.4.8 stored, 4.5 ISO 8601 timestamps ---------------------------------------

VALID_TIMESTAMPS = [
    "2013-05-18T05:32:34.804Z",
    "2013-05-18T05:32:34Z",
    "2013-05-18T05:32:34.804+00:00",
    "2015-11-18T12:17:00+00:00",
    "2013-05-18T05:32:34.804123456-05:00",
    "2013-05-18T05:32:34,5+05:30",
    "2013-05-18T05:32:34+05",
    "2013-05-18T05:32:34+0530",
    "2013-05-18T05:32Z",
    "2013-05-18T05:32:34",  # a time zone is only recommended (Data 4.5.s1.b4)
    "2013-05-18t05:32:34z",
    "20130518T053234Z",
    "20130518T053234.804+0530",
    "20130518T0532Z",
    "2012-02-29T00:00:00Z",
    "2000-02-29T23:59:59.999Z",
    "2099-12-31T23:59:59Z",  # a future timestamp is not rejected (Data 2.4.7.s3.b6)
    "1776-07-04T16:00:45.123Z",
]

INVALID_TIMESTAMPS = [
    "should fail",
    "01/011/2015",
    "2013-13-01",
    "2013-13-01T00:00:00Z",
    "2013-00-10T00:00:00Z",
    "2013-05-00T00:00:00Z",
    "2013-05-32T00:00:00Z",
    "2013-04-31T00:00:00Z",
    "2013-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2013-05-18T24:00:00Z",
    "2013-05-18T05:60:00Z",
    "2013-05-18T05:32:60Z",
    "2008-09-15T15:53:00.601-00",
    "2008-09-15T15:53:00.601-0000",
    "2008-09-15T15:53:00.601-00:00",
    "2013-05-18T05:32:34+25:00",
    "2013-05-18T05:32:34+05:75",
    "2013-05-18",
    "2013-05-18T05",
    "2013-05-18 05:32:34Z",
    "2013-05-18T053234Z",
    "20130518T05:32:34Z",
    "2013-05-18T05:32:34.Z",
    "2013-05-18T05:32:34ZZ",
    "0000-01-01T00:00:00Z",
    "July 04, 1776 16:00:45.123456",
    " 2013-05-18T05:32:34Z",
    "2013-05-18T05:32:34Z\n",
    "\u0662\u0660\u0661\u0663-05-18T05:32:34Z",  # Arabic-Indic digits are not ISO 8601 digits
    "",
    1368855154,
    None,
    {"date": "2013-05-18"},
]


@pytest.mark.parametrize("value", VALID_TIMESTAMPS)
def test_valid_timestamps(value):
    """Data 4.5: ISO 8601 date and time, basic or extended format, with or without time zone."""
    validate_timestamp(value, "timestamp")
    validate_statement(build(("timestamp", value), ("stored", value)))


@pytest.mark.parametrize("value", INVALID_TIMESTAMPS)
def test_invalid_timestamp(value):
    """Data 2.4.7 / 4.5 (XAPI-00022, XAPI-00123): timestamps.js, including the -00:00 offsets."""
    assert_invalid(build(("timestamp", value)), "statement.timestamp")


@pytest.mark.parametrize("value", INVALID_TIMESTAMPS[::3])
def test_invalid_stored(value):
    """Data 2.4.8: stored is a Timestamp too (the LRS validates, then overwrites it)."""
    assert_invalid(build(("stored", value)), "statement.stored")


@pytest.mark.parametrize("value", ["should fail", "01/011/2015", "2008-09-15T15:53:00.601-00:00"])
def test_invalid_substatement_timestamp(value):
    """Data 2.4.4.3 / 4.5: a SubStatement's timestamp is validated like a Statement's."""
    substatement = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/planned"},
        "object": {"id": "http://example.com/website"},
        "timestamp": value,
    }
    assert_invalid(build(("object", substatement), ("context", DELETE)), "statement.object.timestamp")


def test_substatement_timestamp_may_be_in_the_future():
    """Data 2.4.7.s3.b5: a SubStatement MAY have a timestamp in the future."""
    substatement = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/planned"},
        "object": {"id": "http://example.com/website"},
        "timestamp": "2199-01-01T00:00:00.000Z",
    }
    validate_statement(build(("object", substatement), ("context", DELETE)))


# --- Data 2.4.10 version -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1.0", "1.0.0", "1.0.1", "1.0.3", "1.0.9", "1.0.10"])
def test_valid_versions(value):
    """Data 2.4.10.s3.b1 (XAPI-00101): 1.0 and 1.0.x are accepted."""
    validate_version(value, "version")
    validate_statement(build(("version", value)))


@pytest.mark.parametrize(
    "value", ["should fail", "0.9.9", "1.1.0", "2.0.0", "1.0.", "1", "1.0.x", "1.0.3-beta", " 1.0.3", "", 1.0, None]
)
def test_invalid_versions(value):
    """Data 2.4.10.s3.b2 (XAPI-00101): anything that is not 1.0 or 1.0.x is rejected."""
    assert_invalid(build(("version", value)), "statement.version")


# --- Data 2.3.2 Voiding --------------------------------------------------------------------------------

VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}}


def test_voiding_statement_with_statement_ref():
    """Data 2.3.2 (XAPI-00020): a voiding statement's object is a StatementRef."""
    statement = build(
        ("verb", VOIDED),
        ("object", {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}),
        ("context", DELETE),
    )
    validate_statement(statement)


@pytest.mark.parametrize(
    "obj",
    [
        {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"},
        {"id": "http://www.example.com/meetings/occurances/34534"},
        {"objectType": "Agent", "mbox": "mailto:xapi@adlnet.gov"},
        {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:xapi@adlnet.gov"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"},
        },
    ],
)
def test_voiding_statement_must_target_a_statement_ref(obj):
    """Data 2.3.2.s2.b1 (XAPI-00017): a voiding statement whose object is not a StatementRef is rejected."""
    assert_invalid(build(("verb", VOIDED), ("object", obj), ("context", DELETE)), "statement.object.objectType")


def test_other_verbs_ending_in_voided_are_ordinary():
    """Data 2.3.2: only the reserved verb http://adlnet.gov/expapi/verbs/voided voids."""
    validate_statement(build(("verb", {"id": "http://example.com/verbs/voided"})))


# --- Batches -------------------------------------------------------------------------------------------


def test_batch_of_one_object():
    """Communication 2.1.2: POST accepts a single Statement object, returned as a list of one."""
    statement = build()
    assert validate_statement_batch(statement) == [statement]


def test_batch_array_is_returned_as_is():
    statements = [build(("id", str(uuid.uuid4()))) for _ in range(3)]
    assert validate_statement_batch(statements) is statements


def test_batch_error_path_names_the_statement():
    statements = [build(("id", str(uuid.uuid4()))) for _ in range(5)]
    statements[3]["verb"]["id"] = "should fail"
    with pytest.raises(XapiValidationError) as raised:
        validate_statement_batch(statements)
    assert raised.value.path == "statements[3].verb.id"


def test_single_statement_error_path():
    with pytest.raises(XapiValidationError) as raised:
        validate_statement_batch(build(("verb.id", "should fail")))
    assert raised.value.path == "statement.verb.id"


@pytest.mark.parametrize("payload", [[], None, "statements", 42, True])
def test_batch_must_be_a_statement_or_a_non_empty_array(payload):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement_batch(payload)
    assert raised.value.path == "statements"


@pytest.mark.parametrize("element", [None, "statement", [], 1])
def test_batch_elements_must_be_objects(element):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement_batch([build(("id", DELETE)), element])
    assert raised.value.path == "statements[1]"


def test_batch_with_duplicate_ids_is_rejected():
    """Communication 2.1.2: a batch containing two statements with one id is rejected."""
    statement_id = str(uuid.uuid4())
    statements = [build(("id", statement_id)), build(("id", str(uuid.uuid4()))), build(("id", statement_id.upper()))]
    with pytest.raises(XapiValidationError) as raised:
        validate_statement_batch(statements)
    assert raised.value.path == "statements[2].id"


def test_batch_statements_without_ids():
    """Statements without an id get one from the LRS; they never clash."""
    statements = [build(("id", DELETE)) for _ in range(3)]
    assert len(validate_statement_batch(statements)) == 3


def test_batch_rejects_whole_batch_on_one_failure():
    """Communication 2.1.2 / suite non_templating: a batch with one invalid statement fails."""
    good = build(("id", str(uuid.uuid4())))
    bad = build(("id", str(uuid.uuid4())), ("verb.id", "should fail"))
    with pytest.raises(XapiValidationError) as raised:
        validate_statement_batch([good, bad])
    assert raised.value.path == "statements[1].verb.id"


# --- Hostile input -------------------------------------------------------------------------------------


def nested(depth, leaf="x"):
    value = leaf
    for level in range(depth):
        value = {"k": value} if level % 2 else [value]
    return value


def test_extension_nesting_up_to_the_limit_is_accepted():
    """Data 4.1: any JSON value, nested up to MAX_EXTENSION_DEPTH containers."""
    statement = build()
    statement["result"]["extensions"] = {"http://example.com/deep": nested(MAX_EXTENSION_DEPTH)}
    validate_statement(statement)


def test_extension_nesting_beyond_the_limit_is_rejected():
    statement = build()
    statement["result"]["extensions"] = {"http://example.com/deep": nested(MAX_EXTENSION_DEPTH + 1)}
    assert_invalid(statement, 'statement.result.extensions["http://example.com/deep"]')


def test_hostile_nesting_does_not_recurse():
    """100 000 levels: rejected without RecursionError (the check is iterative)."""
    statement = build()
    statement["context"]["extensions"] = {"http://example.com/deep": nested(100_000)}
    assert_invalid(statement, 'statement.context.extensions["http://example.com/deep"]')
    statement = build()
    statement["verb"]["display"] = nested(100_001)  # an array of arrays ...
    assert_invalid(statement, "statement.verb.display")


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_rejected(number):
    """NaN and Infinity are not JSON numbers (Python's json module would let them through)."""
    assert_invalid(build(("result.score.raw", number)), "statement.result.score.raw")
    assert_invalid(build(("result.score.scaled", number)), "statement.result.score.scaled")
    statement = build()
    statement["result"]["extensions"] = {"http://example.com/n": [1, {"x": number}]}
    assert_invalid(statement, 'statement.result.extensions["http://example.com/n"]')


def test_decimal_numbers_are_numbers():
    """Numbers parsed with json.loads(parse_float=Decimal) validate like floats; Decimal NaN does not."""
    from decimal import Decimal

    statement = build(("result.score", {"scaled": Decimal("0.95"), "raw": Decimal("95.5"), "min": 0, "max": 100.0}))
    validate_statement(statement)
    assert_invalid(build(("result.score.raw", Decimal("NaN"))), "statement.result.score.raw")
    assert_invalid(build(("result.score.scaled", Decimal("1.0000001"))), "statement.result.score.scaled")


# --- Throughput ----------------------------------------------------------------------------------------

AGENTS = [
    {"mbox": "mailto:learner{n}@example.com"},
    {"objectType": "Agent", "name": "Learner {n}", "mbox_sha1sum": "{sha1}"},
    {"openid": "http://openid.example.org/{n}"},
    {"name": "Learner {n}", "account": {"homePage": "https://lms.example.com", "name": "{n}"}},
    {
        "objectType": "Group",
        "name": "Team {n}",
        "member": [{"mbox": "mailto:a{n}@example.com"}, {"account": {"homePage": "https://x.org", "name": "b{n}"}}],
    },
    {"objectType": "Group", "openid": "http://openid.example.org/team/{n}"},
]
VERBS = [
    {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed", "id-ID": "menyelesaikan"}},
    {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en": "answered"}},
    {"id": "https://w3id.org/xapi/video/verbs/paused"},
]


def _object(n):
    kind = n % 6
    if kind == 0:
        return {"id": f"http://example.com/activities/{n}"}
    if kind == 1:
        return {
            "objectType": "Activity",
            "id": f"http://example.com/questions/{n}",
            "definition": {
                "name": {"en-US": f"Question {n}"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "choice",
                "correctResponsesPattern": ["a[,]c"],
                "choices": [{"id": c, "description": {"en-US": c.upper()}} for c in "abcd"],
            },
        }
    if kind == 2:
        if n // 6 % 2:
            return {"objectType": "Group", "member": [{"mbox": f"mailto:peer{n}@example.com"}]}
        return {"objectType": "Agent", "mbox": f"mailto:peer{n}@example.com"}
    if kind == 3:
        return {"objectType": "StatementRef", "id": str(uuid.UUID(int=n))}
    if kind == 4:
        return {
            "objectType": "SubStatement",
            "actor": {"mbox": f"mailto:learner{n}@example.com"},
            "verb": VERBS[0],
            "object": {"id": f"http://example.com/activities/{n}"},
            "timestamp": "2030-01-01T00:00:00Z",
        }
    return {
        "id": f"http://example.com/lessons/{n}",
        "definition": {"name": {"id-ID": f"Pelajaran {n}"}, "extensions": {"http://example.com/ext/jp": n}},
    }


def varied_statement(n):
    template = AGENTS[n % len(AGENTS)]
    actor = copy.deepcopy(template)
    sha1 = f"{n:040x}"
    for key, value in list(actor.items()):
        if isinstance(value, str):
            actor[key] = value.format(n=n, sha1=sha1)
        elif isinstance(value, dict):
            actor[key] = {k: v.format(n=n) for k, v in value.items()}
        elif isinstance(value, list):
            actor[key] = [
                {
                    k: (v.format(n=n) if isinstance(v, str) else {a: b.format(n=n) for a, b in v.items()})
                    for k, v in m.items()
                }
                for m in value
            ]
    obj = _object(n)
    statement = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": VERBS[n % len(VERBS)],
        "object": obj,
        "timestamp": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:{n % 60:02d}.{n % 1000:03d}Z",
    }
    if n % 2:
        statement["result"] = {
            "score": {"scaled": (n % 200 - 100) / 100, "raw": n % 50, "min": 0, "max": 50},
            "success": bool(n % 3),
            "completion": True,
            "response": "a[,]c",
            "duration": f"PT{n % 5}H{n % 60}M{n % 60}.{n % 100:02d}S",
        }
    if n % 3:
        context = {
            "registration": str(uuid.UUID(int=n * 7919)),
            "contextActivities": {
                "parent": [{"id": f"http://example.com/courses/{n % 10}"}],
                "category": {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"},
            },
            "language": ["en-US", "id-ID", "zh-Hant-TW", "sr-Latn-RS"][n % 4],
            "extensions": {"https://w3id.org/tangerang/xapi/extensions/jp": n % 8, "http://example.com/x": None},
        }
        if "objectType" not in obj or obj["objectType"] == "Activity":
            context["platform"] = "Tangerang LMS"
        statement["context"] = context
    if n % 7 == 0:
        statement["attachments"] = [
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en-US": "Signature"},
                "contentType": "application/octet-stream",
                "length": 4235,
                "sha2": f"{n:064x}",
            }
        ]
    return statement


def test_two_thousand_varied_statements_validate():
    """A batch of 2,000 different, valid statements (all object types, IFIs, results, contexts)."""
    statements = [varied_statement(n) for n in range(2000)]
    assert validate_statement_batch(statements) is statements
    assert len({s["object"].get("objectType", "Activity") for s in statements}) == 5
