"""Verb and Object: xAPI-Data 2.4.3 (Verb), 2.4.4 (Object), 2.4.4.1 (Activity, Activity Definition,
Interaction Activities and components), 2.4.4.3 (StatementRef, SubStatement) and 4.3 (IRIs).

Cases follow the ADL LRS conformance suite (test/v1_0_3): verbs.js, objects.js, activities.js,
statementrefs.js, substatements.js, formatting.js (XAPI-00009, XAPI-00011), Data2.4.4-ObjectProperty.js.
"""

import copy

import pytest

from lms.xapi.tests.edits import DELETE, edited
from lms.xapi.validation import XapiValidationError, validate_iri, validate_irl, validate_statement

ACTIVITY = {
    "objectType": "Activity",
    "id": "http://www.example.com/meetings/occurances/34534",
    "definition": {
        "name": {"en-GB": "example meeting", "en-US": "example meeting"},
        "description": {"en-US": "An example meeting that happened on a specific occasion."},
        "type": "http://adlnet.gov/expapi/activities/meeting",
        "moreInfo": "http://virtualmeeting.example.com/345256",
        "extensions": {"http://example.com/profiles/meetings/extension/location": "X:\\meetings\\minutes"},
    },
}
BASE = {
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
    "object": ACTIVITY,
}
STATEMENT_REF = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}
SUBSTATEMENT = {
    "objectType": "SubStatement",
    "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
    "verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
    "object": {
        "objectType": "Activity",
        "id": "http://example.com/website",
        "definition": {"name": {"en-US": "Some Awesome Website"}},
    },
}


def components(*ids):
    return [{"id": i, "description": {"en-US": f"{i} description"}} for i in ids]


INTERACTIONS = {
    "true-false": {"correctResponsesPattern": ["true"]},
    "choice": {"correctResponsesPattern": ["golf[,]tetris"], "choices": components("golf", "facebook", "tetris")},
    "fill-in": {"correctResponsesPattern": ["Bob's your uncle"]},
    "long-fill-in": {"correctResponsesPattern": ["{case_matters=false}{lang=en}To be or not to be"]},
    "matching": {
        "correctResponsesPattern": ["ben[.]3[,]chris[.]2"],
        "source": components("ben", "chris"),
        "target": components("1", "2", "3"),
    },
    "performance": {"correctResponsesPattern": ["pong[.]1:[,]dg[.]:10"], "steps": components("pong", "dg")},
    "sequencing": {"correctResponsesPattern": ["tim[,]mike"], "choices": components("tim", "mike")},
    "likert": {"correctResponsesPattern": ["likert_3"], "scale": components("likert_0", "likert_3")},
    "numeric": {"correctResponsesPattern": ["4[:]"]},
    "other": {"correctResponsesPattern": ["(35.937432,-86.868896)"]},
}


def interaction(interaction_type, **changes):
    definition = {
        "name": {"en-US": interaction_type},
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": interaction_type,
        **copy.deepcopy(INTERACTIONS[interaction_type]),
    }
    for key, value in changes.items():
        if value is DELETE:
            definition.pop(key, None)
        else:
            definition[key] = value
    return {
        "objectType": "Activity",
        "id": "http://www.example.com/meetings/categories/teammeeting",
        "definition": definition,
    }


def build(*edits, base=BASE):
    return edited(base, *edits)


def in_substatement(obj):
    """``obj`` as the object of a SubStatement that is the statement's object."""
    return build(("object", {**SUBSTATEMENT, "object": obj}))


def assert_invalid(statement, path):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement(statement)
    assert raised.value.path == path, str(raised.value)
    return raised.value


# --- Data 2.4.3 Verb -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "verb",
    [
        {"id": "http://adlnet.gov/expapi/verbs/attended"},
        {
            "id": "http://example.com/xapi/verbs#defenestrated",
            "display": {"en-US": "defenestrated", "es": "defenestrado"},
        },
        {"id": "http://example.com/فعل/خواندن", "display": {"ar": "قرأ"}},
        {"id": "urn:example:verb:read", "display": {"i-enochian": "x", "zh-Hant": "讀"}},
    ],
)
def test_valid_verbs(verb):
    """Data 2.4.3: id (IRI) required, display (language map) recommended."""
    validate_statement(build(("verb", verb)))
    validate_statement(build(("object", {**SUBSTATEMENT, "verb": verb})))


@pytest.mark.parametrize(
    "verb, suffix",
    [
        ({"display": {"en-US": "attended"}}, ".id"),
        ({"id": "ab=c://should.fail.com"}, ".id"),
        ({"id": "attended"}, ".id"),
        ({"id": "adlnet.gov/expapi/verbs/attended"}, ".id"),
        ({"id": "http://adlnet.gov/expapi/verbs/at tended"}, ".id"),
        ({"id": 12345}, ".id"),
        ({"id": None}, ".id"),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "display": "attended"}, ".display"),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "display": {}}, ".display"),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"a12345": "attended"}}, '.display["a12345"]'),
        (
            {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"de-419-DE": "besucht"}},
            '.display["de-419-DE"]',
        ),
        (
            {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"something": "besucht"}},
            '.display["something"]',
        ),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": None}}, '.display["en-US"]'),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": 1}}, '.display["en-US"]'),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "name": {"en-US": "attended"}}, ".name"),
        ({"id": "http://adlnet.gov/expapi/verbs/attended", "Display": {"en-US": "attended"}}, ".Display"),
        ("http://adlnet.gov/expapi/verbs/attended", ""),
        (["http://adlnet.gov/expapi/verbs/attended"], ""),
    ],
)
def test_invalid_verbs(verb, suffix):
    """Data 2.4.3.s3 (XAPI-00044, XAPI-00045, verbs.js): a bad id or display is rejected, in SubStatements too."""
    assert_invalid(build(("verb", verb)), "statement.verb" + suffix)
    assert_invalid(build(("object", {**SUBSTATEMENT, "verb": verb})), "statement.object.verb" + suffix)


# --- Data 4.3 IRIs -------------------------------------------------------------------------------------

VALID_IRIS = [
    "http://www.example.com/meetings/occurances/34534",
    "https://w3id.org/xapi/video/verbs/paused",
    "HTTP://EXAMPLE.COM/A",
    "http://example.com/xapi/verbs#defenestrated",
    "http://example.com/path?query=1&b=%20c",
    "http://user:pw@example.com:8080/p",
    "http://例え.jp/テスト",
    "urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "tag:example.com,2024:activity/1",
    "mailto:xapi@adlnet.gov",
    "file:///srv/content/lesson.html",
    "x-custom+scheme.v1:thing",
]
INVALID_IRIS = [
    "",
    "should fail",
    "not an iri",
    "ab=c://should.fail.com",
    "www.example.com/meetings",
    "/relative/path",
    "#fragment",
    "//example.com/a",
    "1http://example.com",
    "http://",
    "http:///path",
    "https://?q=1",
    "http://example.com/a b",
    "http://example.com/a\tb",
    "http://example.com/<a>",
    'http://example.com/"a"',
    "http://example.com/a{b}",
    "http://example.com/a|b",
    "http://example.com/a\\b",
    "http://example.com/%zz",
    "http://example.com/%4",
    "http://example.com/\x00",
    " http://example.com",
    "http://example.com\n",
]


@pytest.mark.parametrize("value", VALID_IRIS)
def test_valid_iris(value):
    """Data 4.3: absolute IRIs (RFC 3987), non-ASCII allowed."""
    validate_iri(value, "iri")
    validate_irl(value, "irl")
    validate_statement(build(("object.id", value), ("verb.id", value), ("object.definition.type", value)))


@pytest.mark.parametrize("value", INVALID_IRIS + [None, 12, ["http://example.com"], {"id": "http://example.com"}])
def test_invalid_iris(value):
    """Data 2.2.s4.b1.b8 (XAPI-00011): IRIs without a scheme, with spaces or excluded characters."""
    with pytest.raises(XapiValidationError) as raised:
        validate_iri(value, "iri")
    assert raised.value.path == "iri"


@pytest.mark.parametrize("value", INVALID_IRIS[::2])
@pytest.mark.parametrize(
    "location, path",
    [
        ("verb.id", "statement.verb.id"),
        ("object.id", "statement.object.id"),
        ("object.definition.type", "statement.object.definition.type"),
        ("object.definition.moreInfo", "statement.object.definition.moreInfo"),
    ],
)
def test_invalid_iri_in_statement(location, path, value):
    """Data 2.2.s4.b1.b8 (XAPI-00011): verb id, activity id, type, moreInfo."""
    assert_invalid(build((location, value)), path)


# --- Data 2.4.4 Object ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "object_type",
    ["activity", "agent", "group", "statementref", "substatement", "Statement", "", 123, None, {"k": "v"}],
)
def test_invalid_object_types(object_type):
    """Data 2.4.4.s2 (XAPI-00046, objects.js): objectType is one of five values, case-sensitive."""
    assert_invalid(build(("object.objectType", object_type)), "statement.object.objectType")
    assert_invalid(in_substatement({**ACTIVITY, "objectType": object_type}), "statement.object.object.objectType")


@pytest.mark.parametrize("value", ["http://www.example.com/meetings/occurances/34534", 12345, [ACTIVITY], None])
def test_object_must_be_an_object(value):
    assert_invalid(build(("object", value)), "statement.object")


def test_object_type_defaults_to_activity():
    """Data 2.4.4.s2: an object without objectType is an Activity."""
    validate_statement(build(("object", {"id": "http://www.example.com/meetings/occurances/34534"})))
    validate_statement(in_substatement({"id": "http://www.example.com/meetings/occurances/34534"}))


# --- Data 2.4.4.1 Activity and Activity Definition -----------------------------------------------------


@pytest.mark.parametrize(
    "definition",
    [
        {},
        {"name": {"en-GB": "example meeting"}},
        {"description": {"en-US": "An example meeting."}},
        {"type": "http://adlnet.gov/expapi/activities/meeting"},
        {"moreInfo": "http://virtualmeeting.example.com/345256"},
        {"extensions": {}},
        {"extensions": {"http://example.com/ex": None}},
        {"interactionType": "fill-in", "correctResponsesPattern": ['Bob"s your uncle']},
        {"interactionType": "other"},
        {"interactionType": "choice", "correctResponsesPattern": []},
        {"interactionType": "choice", "choices": []},
        {"name": {"de-DE": "Beispiel"}, "description": {"zh-Hant": "例子"}},
    ],
)
def test_valid_definitions(definition):
    """Data 2.4.4.1.s2 (verify.js): every definition property is optional; an empty definition is accepted."""
    validate_statement(build(("object.definition", definition)))
    validate_statement(in_substatement({**ACTIVITY, "definition": definition}))


@pytest.mark.parametrize(
    "edit, suffix",
    [
        (("id", DELETE), ".id"),
        (("id", "ab=c://should.fail.com"), ".id"),
        (("id", "www.example.com/meetings/occurances/34534"), ".id"),
        (("id", 34534), ".id"),
        (("definition", "should error"), ".definition"),
        (("definition", 12345), ".definition"),
        (("definition", []), ".definition"),
        (("definition.name", "should error"), ".definition.name"),
        (("definition.name", 1234), ".definition.name"),
        (("definition.name", {}), ".definition.name"),
        (("definition.name", {"a12345": "should error"}), '.definition.name["a12345"]'),
        (("definition.name", {"de-419-DE": "Beispiel"}), '.definition.name["de-419-DE"]'),
        (("definition.description", "should error"), ".definition.description"),
        (("definition.description", {}), ".definition.description"),
        (("definition.description", {"en-US": "x", "something": "y"}), '.definition.description["something"]'),
        (("definition.type", "should error"), ".definition.type"),
        (("definition.type", "adlnet.gov/expapi/activities/meeting"), ".definition.type"),
        (("definition.moreInfo", "should error"), ".definition.moreInfo"),
        (("definition.moreInfo", None), ".definition.moreInfo"),
        (("definition.extensions", "should error"), ".definition.extensions"),
        (("definition.extensions", {"id": "valid", "description": {"en-US": "valid"}}), '.definition.extensions["id"]'),
        (
            ("definition.extensions", {"not.valid.com/extension": 1234}),
            '.definition.extensions["not.valid.com/extension"]',
        ),
        (("definition.Name", {"en-US": "x"}), ".definition.Name"),
        (("definition.id", "http://example.com"), ".definition.id"),
        (("name", {"en-US": "misplaced"}), ".name"),
        (("Definition", {}), ".Definition"),
    ],
)
def test_invalid_activities(edit, suffix):
    """Data 2.4.4.1 (XAPI-00047/48/56/57/59/60/61, activities.js), also within a SubStatement."""
    path, value = edit
    assert_invalid(build((f"object.{path}", value)), "statement.object" + suffix)
    activity = build((path, value), base=ACTIVITY)
    assert_invalid(in_substatement(activity), "statement.object.object" + suffix)


@pytest.mark.parametrize("interaction_type", INTERACTIONS)
def test_each_interaction_type_is_accepted(interaction_type):
    """Data 2.4.4.1.s8 (XAPI-00049): the ten interactionTypes, with their component lists."""
    validate_statement(build(("object", interaction(interaction_type))))
    validate_statement(in_substatement(interaction(interaction_type)))


@pytest.mark.parametrize(
    "interaction_type, wrong",
    [
        ("true-false", "true-faLse"),
        ("choice", "choiCe"),
        ("fill-in", "fill-iN"),
        ("long-fill-in", "long-fiLl-in"),
        ("matching", "matchIng"),
        ("performance", "perfOrmance"),
        ("sequencing", "seqUencing"),
        ("likert", "liKert"),
        ("numeric", "nUmeric"),
        ("other", "Other"),
        ("fill-in", "ab=c://should.fail.com"),
        ("fill-in", 12345),
        ("fill-in", {"key": "value"}),
        ("fill-in", "should fail"),
        ("fill-in", "fill_in"),
        ("fill-in", None),
        ("fill-in", ["fill-in"]),
    ],
)
def test_invalid_interaction_types(interaction_type, wrong):
    """Data 2.2.s4.b1.b6 (XAPI-00009), 2.4.4.1.s8 (XAPI-00049): enumerated, case-sensitive values."""
    activity = interaction(interaction_type, interactionType=wrong)
    assert_invalid(build(("object", activity)), "statement.object.definition.interactionType")
    assert_invalid(in_substatement(activity), "statement.object.object.definition.interactionType")


@pytest.mark.parametrize("interaction_type", INTERACTIONS)
def test_interaction_properties_require_interaction_type(interaction_type):
    """Data 2.4.4.1.s8 (XAPI-00064): correctResponsesPattern or a component list needs interactionType."""
    activity = interaction(interaction_type, interactionType=DELETE)
    error = assert_invalid(build(("object", activity)), "statement.object.definition.interactionType")
    assert "correctResponsesPattern" in error.message


@pytest.mark.parametrize("component_list", ["choices", "scale", "source", "target", "steps"])
def test_component_list_alone_requires_interaction_type(component_list):
    activity = {**ACTIVITY, "definition": {component_list: components("a", "b")}}
    assert_invalid(build(("object", activity)), "statement.object.definition.interactionType")


@pytest.mark.parametrize(
    "interaction_type, component_list",
    [
        ("true-false", "choices"),
        ("fill-in", "choices"),
        ("long-fill-in", "scale"),
        ("numeric", "steps"),
        ("other", "source"),
        ("choice", "scale"),
        ("choice", "source"),
        ("sequencing", "steps"),
        ("likert", "choices"),
        ("likert", "target"),
        ("matching", "choices"),
        ("matching", "steps"),
        ("performance", "scale"),
        ("performance", "choices"),
    ],
)
def test_component_list_must_match_interaction_type(interaction_type, component_list):
    """Data 2.4.4.1.s15 table 2, s13.b3: each interactionType supports only its component lists."""
    activity = interaction(interaction_type, **{component_list: components("a", "b")})
    assert_invalid(build(("object", activity)), f"statement.object.definition.{component_list}")


@pytest.mark.parametrize(
    "change, suffix",
    [
        ({"choices": "golf"}, ".choices"),
        ({"choices": {"id": "golf"}}, ".choices"),
        ({"choices": ["golf"]}, ".choices[0]"),
        ({"choices": [{"description": {"en-US": "Golf"}}]}, ".choices[0].id"),
        ({"choices": [{"id": 1}]}, ".choices[0].id"),
        ({"choices": [{"id": None}]}, ".choices[0].id"),
        ({"choices": [{"id": "golf"}, {"id": "golf"}]}, ".choices[1].id"),
        ({"choices": [{"id": "golf", "description": "Golf"}]}, ".choices[0].description"),
        ({"choices": [{"id": "golf", "description": {}}]}, ".choices[0].description"),
        ({"choices": [{"id": "golf", "description": {"something": "Golf"}}]}, '.choices[0].description["something"]'),
        ({"choices": [{"id": "golf", "name": {"en-US": "Golf"}}]}, ".choices[0].name"),
        ({"correctResponsesPattern": "golf[,]tetris"}, ".correctResponsesPattern"),
        ({"correctResponsesPattern": [1]}, ".correctResponsesPattern[0]"),
        ({"correctResponsesPattern": ["golf", None]}, ".correctResponsesPattern[1]"),
        ({"correctResponsesPattern": None}, ".correctResponsesPattern"),
    ],
)
def test_invalid_interaction_components(change, suffix):
    """Data 2.4.4.1.s15/s16 (XAPI-00062): components have a string id (distinct) and a language map."""
    activity = interaction("choice", **change)
    assert_invalid(build(("object", activity)), "statement.object.definition" + suffix)
    assert_invalid(in_substatement(activity), "statement.object.object.definition" + suffix)


@pytest.mark.parametrize("component_list", ["scale", "source", "target", "steps"])
def test_duplicate_component_ids_in_each_list(component_list):
    """Data 2.4.4.1.s16.b1: within an array of interaction components, all ids MUST be distinct."""
    interaction_type = {"scale": "likert", "source": "matching", "target": "matching", "steps": "performance"}[
        component_list
    ]
    activity = interaction(interaction_type, **{component_list: components("x", "y", "x")})
    assert_invalid(build(("object", activity)), f"statement.object.definition.{component_list}[2].id")


def test_same_component_id_in_different_lists_is_fine():
    """Distinctness is per list: a matching source and target may share ids."""
    activity = interaction("matching", source=components("1", "2"), target=components("1", "2"))
    validate_statement(build(("object", activity)))


# --- Data 2.4.4.3 Statement Reference ------------------------------------------------------------------


def test_statement_ref():
    """Data 2.4.4.3.s4: objectType StatementRef and the UUID of a statement."""
    validate_statement(build(("object", STATEMENT_REF)))
    validate_statement(in_substatement(STATEMENT_REF))


@pytest.mark.parametrize(
    "ref, suffix",
    [
        ({"objectType": "StatementRef"}, ".id"),
        ({"objectType": "statementref", "id": STATEMENT_REF["id"]}, ".objectType"),
        ({"objectType": "StatementRef", "id": "should fail"}, ".id"),
        ({"objectType": "StatementRef", "id": "AA97B177-9383-4934-8543-0F91A7A028368"}, ".id"),
        ({"objectType": "StatementRef", "id": "MA97B177-9383-4934-8543-0F91A7A02836"}, ".id"),
        ({"objectType": "StatementRef", "id": 12345}, ".id"),
        ({"objectType": "StatementRef", "id": {"key": "should fail"}}, ".id"),
        ({"objectType": "StatementRef", "id": "http://example.com/statement"}, ".id"),
        ({**STATEMENT_REF, "definition": {}}, ".definition"),
        ({**STATEMENT_REF, "actor": {"mbox": "mailto:a@b.c"}}, ".actor"),
    ],
)
def test_invalid_statement_refs(ref, suffix):
    """Data 2.4.4.3.s4 (XAPI-00072, XAPI-00073, statementrefs.js, uuids.js)."""
    assert_invalid(build(("object", ref)), "statement.object" + suffix)
    assert_invalid(in_substatement(ref), "statement.object.object" + suffix)


def test_statement_ref_without_object_type_is_not_an_activity():
    """Data 2.4.4.3.s4.b1 (XAPI-00073): without objectType the object is an Activity, whose id is no IRI."""
    assert_invalid(build(("object", {"id": STATEMENT_REF["id"]})), "statement.object.id")


# --- Data 2.4.4.3 SubStatement -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "obj",
    [
        SUBSTATEMENT["object"],
        {"id": "http://example.com/website"},
        STATEMENT_REF,
        {"objectType": "Agent", "mbox": "mailto:xapi@adlnet.gov"},
        {"objectType": "Group", "member": [{"mbox": "mailto:xapi@adlnet.gov"}]},
        {"objectType": "Group", "openid": "http://openid.example.org/12345"},
    ],
)
def test_valid_substatements(obj):
    """Data 2.4.4.3.s8 (substatements.js): a SubStatement's object may be anything but a SubStatement."""
    validate_statement(in_substatement(obj))


def test_substatement_with_all_allowed_properties():
    """Data 2.4.4.3.s8.b2: validated as a Statement: result, context, timestamp, attachments allowed."""
    substatement = {
        **SUBSTATEMENT,
        "result": {"score": {"scaled": 0.5}, "completion": True},
        "context": {"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7", "platform": "web", "revision": "2"},
        "timestamp": "2013-05-18T05:32:34.804Z",
        "attachments": [
            {
                "usageType": "http://example.com/attachment-usage/test",
                "display": {"en-US": "A test attachment"},
                "contentType": "text/plain; charset=ascii",
                "length": 27,
                "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
                "fileUrl": "http://over.there.com/file.txt",
            }
        ],
    }
    validate_statement(build(("object", substatement)))


@pytest.mark.parametrize(
    "edit, suffix",
    [
        (("actor", DELETE), ".actor"),
        (("verb", DELETE), ".verb"),
        (("object", DELETE), ".object"),
        (("objectType", "substatement"), ".objectType"),
        (("objectType", "Substatement"), ".objectType"),
        (("id", "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"), ".id"),
        (("stored", "2013-05-18T05:32:34.804Z"), ".stored"),
        (("version", "1.0.0"), ".version"),
        (("authority", {"mbox": "mailto:xapi@adlnet.gov"}), ".authority"),
        (("object", {**SUBSTATEMENT}), ".object.objectType"),
        (("object", {**SUBSTATEMENT, "objectType": "SubStatement"}), ".object.objectType"),
        (("actor", {"mbox": "mailto:should.fail.com"}), ".actor.mbox"),
        (("verb", {"id": "should fail"}), ".verb.id"),
        (("object", {"objectType": "Agent", "name": "x"}), ".object"),
        (("result", {"success": "true"}), ".result.success"),
        (("context", {"registration": "should fail"}), ".context.registration"),
        (("attachments", {}), ".attachments"),
        (("foo", "bar"), ".foo"),
    ],
)
def test_invalid_substatements(edit, suffix):
    """Data 2.4.4.3.s8 (XAPI-00066..71, substatements.js): no id/stored/version/authority, no nesting."""
    path, value = edit
    substatement = build((path, value), base=SUBSTATEMENT)
    assert_invalid(build(("object", substatement)), "statement.object" + suffix)


def test_substatement_without_object_type():
    """Data 2.4.4.3.s8.b1 (XAPI-00073): a SubStatement MUST specify objectType "SubStatement"."""
    substatement = {k: v for k, v in SUBSTATEMENT.items() if k != "objectType"}
    error = assert_invalid(build(("object", substatement)), "statement.object.objectType")
    assert "SubStatement" in error.message
