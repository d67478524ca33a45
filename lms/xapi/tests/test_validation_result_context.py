"""Result and Context: xAPI-Data 2.4.5 (Result), 2.4.5.1 (Score), 4.6 (Durations), 2.4.6 (Context),
2.4.6.2 (contextActivities) and the revision/platform rules (2.4.6.s4).

Cases follow the ADL LRS conformance suite (test/v1_0_3): results.js, durations.js, contexts.js,
contextactivities.js, formatting.js (XAPI-00006, XAPI-00013), uuids.js.
"""

import copy

import pytest

from lms.xapi.tests.edits import DELETE, edited
from lms.xapi.validation import XapiValidationError, validate_duration, validate_statement

RESULT = {
    "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
    "extensions": {
        "http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes",
        "http://example.com/profiles/meetings/resultextensions/reporter": {
            "name": "Thomas",
            "id": "http://openid.com/342",
        },
    },
    "success": True,
    "completion": True,
    "response": "We agreed on some example actions.",
    "duration": "PT1H0M0S",
}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
CONTEXT = {
    "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
    "instructor": {"objectType": "Agent", "name": "Instructor", "mbox": "mailto:instructor@example.com"},
    "team": {"objectType": "Group", "name": "Team", "member": [{"mbox": "mailto:member@example.com"}]},
    "contextActivities": {
        "parent": [ACTIVITY],
        "grouping": [{"id": "http://www.example.com/meetings/series/267"}],
        "category": [
            {
                "id": "http://www.example.com/meetings/categories/teammeeting",
                "objectType": "Activity",
                "definition": {
                    "name": {"en": "team meeting"},
                    "type": "http://example.com/expapi/activities/meetingcategory",
                },
            }
        ],
        "other": [ACTIVITY, {"id": "http://www.example.com/meetings/occurances/34257"}],
    },
    "revision": "rev_10_3_2",
    "platform": "Example virtual meeting software",
    "language": "tlh",
    "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    "extensions": {
        "http://example.com/profiles/meetings/contextextensions/airspeed": "600mph",
        "http://example.com/profiles/meetings/contextextensions/pilot": {
            "name": "Thomas",
            "id": "http://openid.com/342",
        },
    },
}
BASE = {
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
    "object": ACTIVITY,
    "result": RESULT,
    "context": CONTEXT,
}
SUBSTATEMENT = {
    "objectType": "SubStatement",
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
    "object": ACTIVITY,
    "result": RESULT,
    "context": CONTEXT,
}
# The same result/context directly in the statement, and inside a SubStatement.
WHERE = {
    "statement": (BASE, "statement"),
    "substatement": (
        {**BASE, "object": SUBSTATEMENT, "context": {"registration": CONTEXT["registration"]}},
        "statement.object",
    ),
}


def build(*edits, base=BASE):
    return edited(base, *edits)


def at(where, *edits):
    """A statement with edits applied to the statement (where="statement") or its SubStatement."""
    base, prefix = WHERE[where]
    statement = copy.deepcopy(base)
    target = statement if where == "statement" else statement["object"]
    for path, value in edits:
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        node = target
        for key in keys[:-1]:
            node = node[key]
        if value is DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = copy.deepcopy(value)
    return statement, prefix


def assert_invalid(statement, path):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement(statement)
    assert raised.value.path == path, str(raised.value)
    return raised.value


@pytest.mark.parametrize("where", WHERE)
def test_templates_are_valid(where):
    """Data 2.4.5 / 2.4.6: the suite's result and context templates, in a statement and a SubStatement."""
    statement, _ = at(where)
    validate_statement(statement)


# --- Data 2.4.5 Result ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "result",
    [
        {},
        {"success": False},
        {"completion": False, "response": ""},
        {"score": {}},
        {"score": {"scaled": 1.0}},
        {"score": {"scaled": -1.0}},
        {"score": {"scaled": 0}},
        {"score": {"scaled": 0.6767676}},
        {"score": {"raw": 0.6767676}},
        {"score": {"raw": -12345.5}},
        {"score": {"min": 0.6767676}},
        {"score": {"max": 100.6767676}},
        {"score": {"raw": 0, "min": 0, "max": 1}},
        {"score": {"raw": 1, "min": 0, "max": 1}},
        {"score": {"raw": 10**30, "max": 10**31}},
        {"score": {"min": -5, "max": -1}},
        {"response": "a[,]c"},
        {"extensions": {}},
        {"extensions": {"http://example.com/ex": True}},
        {"extensions": {"http://example.com/ex": 12345}},
        {"extensions": {"http://example.com/ex": {"key": "valid"}}},
        {"extensions": {"http://example.com/ex": "valid"}},
        {"extensions": {"http://example.com/ex": None}},
    ],
)
@pytest.mark.parametrize("where", WHERE)
def test_valid_results(where, result):
    """Data 2.4.5 / 2.4.5.1 (results.js, extensions.js): all Result properties are optional."""
    statement, _ = at(where, ("result", result))
    validate_statement(statement)


@pytest.mark.parametrize(
    "edit, suffix",
    [
        (("score", 12345), ".score"),
        (("score", "should fail"), ".score"),
        (("score", [95]), ".score"),
        (("score.scaled", 1.01), ".score.scaled"),
        (("score.scaled", -1.00001), ".score.scaled"),
        (("score.scaled", 95), ".score.scaled"),
        (("score.scaled", "0.95"), ".score.scaled"),
        (("score.scaled", True), ".score.scaled"),
        (("score.raw", 100.5), ".score.raw"),
        (("score.raw", -0.5), ".score.raw"),
        (("score.raw", "95"), ".score.raw"),
        (("score.raw", False), ".score.raw"),
        (("score.max", "one hundred"), ".score.max"),
        (("score.max", "100"), ".score.max"),
        (("score.max", None), ".score.max"),
        (("score.min", 100), ".score.min"),
        (("score.min", 101), ".score.min"),
        (("score.min", [0]), ".score.min"),
        (("score.Scaled", 0.5), ".score.Scaled"),
        (("score.percent", 95), ".score.percent"),
        (("success", "true"), ".success"),
        (("success", "false"), ".success"),
        (("success", "We regret to inform you that your effort was unsuccessful."), ".success"),
        (("success", 1), ".success"),
        (("success", 0), ".success"),
        (("success", None), ".success"),
        (("completion", "true"), ".completion"),
        (("completion", "false"), ".completion"),
        (("completion", 1), ".completion"),
        (("response", 12345), ".response"),
        (("response", {"key": "invalid"}), ".response"),
        (("response", ["a"]), ".response"),
        (("response", None), ".response"),
        (("duration", "PA1H0M0S"), ".duration"),
        (("duration", "should fail"), ".duration"),
        (("duration", 12345), ".duration"),
        (("duration", {"key": "invalid"}), ".duration"),
        (("extensions", "should fail"), ".extensions"),
        (("extensions", 12345), ".extensions"),
        (("extensions", []), ".extensions"),
        (("extensions", {"should fail": True}), '.extensions["should fail"]'),
        (("extensions", {"example.com/extension/wrong": 1234}), '.extensions["example.com/extension/wrong"]'),
        (("Success", True), ".Success"),
        (("grade", "A"), ".grade"),
    ],
)
@pytest.mark.parametrize("where", WHERE)
def test_invalid_results(where, edit, suffix):
    """Data 2.4.5 / 2.4.5.1 (XAPI-00006, XAPI-00074..83): types, score bounds; a bool is not a number."""
    statement, prefix = at(where, ("result." + edit[0], edit[1]))
    assert_invalid(statement, prefix + ".result" + suffix)


@pytest.mark.parametrize(
    "score, suffix",
    [
        ({"raw": 0.6767676, "max": 0.6767676 - 0.02}, ".raw"),
        ({"raw": 0.6767676, "min": 0.6767676 + 0.73}, ".raw"),
        ({"min": 0.6767676, "max": 0.6767676 - 0.0000321, "raw": 0.6767676 - 0.0000033}, ".min"),
        ({"max": 100.6767676, "min": 100.6767676 + 4, "raw": 100.6767676 + 1}, ".min"),
        ({"min": 5, "max": 5}, ".min"),
        ({"min": 5, "max": 5, "raw": 5}, ".min"),
    ],
)
def test_score_relations(score, suffix):
    """Data 2.4.5.1.s2 (XAPI-00080..82): min < max, and min <= raw <= max."""
    assert_invalid(build(("result.score", score)), "statement.result.score" + suffix)


def test_result_must_be_an_object():
    assert_invalid(build(("result", "passed")), "statement.result")
    assert_invalid(build(("result", [RESULT])), "statement.result")


# --- Data 4.6 Durations --------------------------------------------------------------------------------

VALID_DURATIONS = [
    "PT1H0M0S",
    "PT1H0M0.1S",
    "PT4H35M59.14S",
    "PT16559.14S",
    "P3Y1M29DT4H35M59.14S",
    "P3Y",
    "P4W",
    "P1M",
    "PT1M",
    "P1D",
    "PT0S",
    "PT0.001S",
    "PT1234S",
    "P0D",
    "P1Y2M3DT4H5M6S",
    "P1DT12H",
    "PT36H",
    "P0.5Y",
    "PT1.5H",
    "PT0,5S",
    "P2.5W",
]
INVALID_DURATIONS = [
    "PA1H0M0S",
    "should fail",
    "",
    "P",
    "PT",
    "P1DT",
    "1H",
    "T1H",
    "PT1H0M0",
    "P4W1D",
    "P1W2D",
    "PT1D",
    "P1H",
    "P16559.14S",  # seconds need the T (ISO 8601:2004 4.4.3.2)
    "P1S",
    "PT1S1M",
    "P1M1Y",
    "PT-1S",
    "-PT1S",
    "PT1.S",
    "PT.5S",
    "PT1.5H30M",
    "P1.5Y2M",
    "pt1h",
    "P1Y 2M",
    " PT1H",
    "PT1H\n",
    "P0001-02-03T04:05:06",  # the alternative format MUST NOT be used (Data 4.6.s1.b1)
    "01:00:00",
    3600,
    None,
    ["PT1H"],
]


@pytest.mark.parametrize("value", VALID_DURATIONS)
def test_valid_durations(value):
    """Data 4.6 (durations.js): ISO 8601:2004 4.4.3.2 durations."""
    validate_duration(value, "duration")
    validate_statement(build(("result.duration", value)))


@pytest.mark.parametrize("value", INVALID_DURATIONS)
def test_invalid_durations(value):
    """Data 2.4.5.s2.table1.row4 / 4.6 (XAPI-00077, XAPI-00124)."""
    with pytest.raises(XapiValidationError) as raised:
        validate_duration(value, "duration")
    assert raised.value.path == "duration"


@pytest.mark.parametrize("value", INVALID_DURATIONS[::4])
def test_invalid_duration_in_statement(value):
    assert_invalid(build(("result.duration", value)), "statement.result.duration")


# --- Data 2.4.6 Context --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "context",
    [
        {},
        {"registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7"},
        {"instructor": {"mbox": "mailto:instructor@example.com"}},
        {"instructor": {"objectType": "Group", "member": [{"mbox": "mailto:instructor@example.com"}]}},
        {"team": {"objectType": "Group", "openid": "http://openid.example.org/team"}},
        {"contextActivities": {"parent": ACTIVITY}},
        {"contextActivities": {"grouping": {"id": "http://example.com/g"}}},
        {"contextActivities": {"category": [{"id": "http://example.com/c"}]}},
        {"contextActivities": {"other": [ACTIVITY, {"id": "http://example.com/o"}]}},
        {"contextActivities": {"parent": []}},
        {"revision": ""},
        {"platform": "ios"},
        {"language": "de"},
        {"language": "cmn"},
        {"language": "zh-Hant-TW"},
        {"language": "fr-CA"},
        {"statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}},
        {"extensions": {}},
        {"extensions": {"http://example.com/null": None}},
    ],
)
@pytest.mark.parametrize("where", WHERE)
def test_valid_contexts(where, context):
    """Data 2.4.6 / 2.4.6.2 (contexts.js, contextactivities.js): all Context properties are optional."""
    statement, _ = at(where, ("context", context))
    validate_statement(statement)


@pytest.mark.parametrize(
    "edit, suffix",
    [
        (("registration", {"key": "should fail"}), ".registration"),
        (("registration", "should fail"), ".registration"),
        (("registration", "AA97B177-9383-4934-8543-0F91A7A028368"), ".registration"),
        (("registration", "MA97B177-9383-4934-8543-0F91A7A02836"), ".registration"),
        (("registration", 12345), ".registration"),
        (("registration", None), ".registration"),
        (("instructor", {"key": "should fail"}), ".instructor.key"),
        (("instructor", "should fail"), ".instructor"),
        (("team", {"mbox": "mailto:team@example.com"}), ".team.objectType"),
        (("team", "should fail"), ".team"),
        (("contextActivities", "should fail"), ".contextActivities"),
        (("contextActivities", {}), ".contextActivities"),
        (("contextActivities", []), ".contextActivities"),
        (("contextActivities", {"parents": [ACTIVITY]}), ".contextActivities.parents"),
        (("contextActivities", {"Parent": [ACTIVITY]}), ".contextActivities.Parent"),
        (("contextActivities", {"other": [ACTIVITY, {"key": "should fail"}]}), ".contextActivities.other[1].key"),
        (("contextActivities", {"other": [{"key": "should fail"}, ACTIVITY]}), ".contextActivities.other[0].key"),
        (("contextActivities", {"other": [ACTIVITY, "http://example.com/a"]}), ".contextActivities.other[1]"),
        (("contextActivities", {"parent": "http://example.com/a"}), ".contextActivities.parent"),
        (("contextActivities", {"parent": None}), ".contextActivities.parent"),
        (("contextActivities", {"parent": 1}), ".contextActivities.parent"),
        (
            ("contextActivities", {"grouping": {"objectType": "activity", "id": "http://x.org"}}),
            ".contextActivities.grouping.objectType",
        ),
        (
            ("contextActivities", {"category": [{"objectType": "Agent", "mbox": "mailto:a@b.c"}]}),
            ".contextActivities.category[0].objectType",
        ),
        (("contextActivities", {"category": [{"mbox": "mailto:a@b.c"}]}), ".contextActivities.category[0].mbox"),
        (("contextActivities", {"grouping": [{"id": "should fail"}]}), ".contextActivities.grouping[0].id"),
        (
            ("contextActivities", {"parent": {"id": "http://x.org", "definition": {"name": "x"}}}),
            ".contextActivities.parent.definition.name",
        ),
        (("revision", 12345), ".revision"),
        (("revision", {"key": "should fail"}), ".revision"),
        (("platform", 12345), ".platform"),
        (("platform", {"key": "should fail"}), ".platform"),
        (("language", 12345), ".language"),
        (("language", {"key": "should fail"}), ".language"),
        (("language", {"a12345": "should fail"}), ".language"),
        (("language", "something"), ".language"),
        (("language", "a12345"), ".language"),
        (("language", "en-"), ".language"),
        (("language", ""), ".language"),
        (
            ("statement", {"objectType": "statementref", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
            ".statement.objectType",
        ),
        (("statement", {"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}), ".statement.objectType"),
        (("statement", {"objectType": "StatementRef", "id": "should fail"}), ".statement.id"),
        (("statement", {"objectType": "StatementRef", "id": 12345}), ".statement.id"),
        (("statement", {"objectType": "StatementRef"}), ".statement.id"),
        (
            ("statement", {"objectType": "SubStatement", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
            ".statement.objectType",
        ),
        (("statement", "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"), ".statement"),
        (("extensions", "should fail"), ".extensions"),
        (("extensions", {"should fail": True}), '.extensions["should fail"]'),
        (("extensions", {"example.com/extension/wrong": 1234}), '.extensions["example.com/extension/wrong"]'),
        (("Revision", "x"), ".Revision"),
        (("activity", ACTIVITY), ".activity"),
    ],
)
@pytest.mark.parametrize("where", WHERE)
def test_invalid_contexts(where, edit, suffix):
    """Data 2.4.6 / 2.4.6.2 (XAPI-00084..95, contexts.js, contextactivities.js, uuids.js)."""
    statement, prefix = at(where, ("context." + edit[0], edit[1]))
    assert_invalid(statement, prefix + ".context" + suffix)


def test_context_must_be_an_object():
    assert_invalid(build(("context", "should fail")), "statement.context")


OBJECTS_THAT_ARE_NOT_ACTIVITIES = {
    "agent": {"objectType": "Agent", "mbox": "mailto:xapi@adlnet.gov"},
    "group": {"objectType": "Group", "member": [{"mbox": "mailto:xapi@adlnet.gov"}]},
    "statementref": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    "substatement": {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": ACTIVITY,
    },
}


@pytest.mark.parametrize("key", ["revision", "platform"])
@pytest.mark.parametrize("obj", OBJECTS_THAT_ARE_NOT_ACTIVITIES)
def test_revision_and_platform_only_with_activity_object(obj, key):
    """Data 2.4.6.s4.b1/b2 (contexts.js): revision and platform MUST only be used when the object is an Activity."""
    context = {"registration": CONTEXT["registration"], key: "x"}
    statement = build(("object", OBJECTS_THAT_ARE_NOT_ACTIVITIES[obj]), ("context", context))
    assert_invalid(statement, f"statement.context.{key}")


@pytest.mark.parametrize("key", ["revision", "platform"])
@pytest.mark.parametrize("obj", [k for k in OBJECTS_THAT_ARE_NOT_ACTIVITIES if k != "substatement"])
def test_revision_and_platform_in_substatement_context(obj, key):
    """Data 2.4.6.s4 (contexts.js): the rule applies to a SubStatement's own context and object."""
    substatement = {
        **OBJECTS_THAT_ARE_NOT_ACTIVITIES["substatement"],
        "object": OBJECTS_THAT_ARE_NOT_ACTIVITIES[obj],
        "context": {key: "x"},
    }
    assert_invalid(build(("object", substatement), ("context", DELETE)), f"statement.object.context.{key}")


@pytest.mark.parametrize("obj", [ACTIVITY, {"id": "http://www.example.com/meetings/occurances/34534"}])
def test_revision_and_platform_with_activity(obj):
    """Data 2.4.6.s4: with an Activity object (objectType given or not) both are fine."""
    validate_statement(build(("object", obj), ("context", {"revision": "1", "platform": "web"})))


@pytest.mark.parametrize("obj", OBJECTS_THAT_ARE_NOT_ACTIVITIES)
def test_other_context_properties_with_any_object(obj):
    """Only revision and platform depend on the object; the rest of Context is always allowed."""
    context = {k: v for k, v in CONTEXT.items() if k not in ("revision", "platform")}
    validate_statement(build(("object", OBJECTS_THAT_ARE_NOT_ACTIVITIES[obj]), ("context", context)))
