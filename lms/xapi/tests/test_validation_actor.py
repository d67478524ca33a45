"""Agents and Groups wherever they appear: xAPI-Data 2.4.2 (Actor: Agent, Group, inverse functional
identifiers, Account), 2.4.4.2 (Agent or Group as object), 2.4.6 (context instructor and team), 2.4.9
(authority), plus validate_agent (the ?agent= parameters) and agent_ifi.

Cases follow the ADL LRS conformance suite (test/v1_0_3): actors.js, agents.js, groups.js, ifis.js,
accountobjects.js, authorities.js.
"""

import copy

import pytest

from lms.xapi.tests.edits import DELETE
from lms.xapi.validation import XapiValidationError, agent_ifi, validate_agent, validate_statement

MBOX = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
MBOX_SHA1SUM = {"objectType": "Agent", "name": "xAPI sha1", "mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}
OPENID = {"objectType": "Agent", "name": "xAPI openid", "openid": "http://openid.example.org/12345"}
ACCOUNT = {
    "objectType": "Agent",
    "name": "xAPI account",
    "account": {"homePage": "http://www.example.com", "name": "xAPI"},
}
AGENTS = {"mbox": MBOX, "mbox_sha1sum": MBOX_SHA1SUM, "openid": OPENID, "account": ACCOUNT}

IFI_VALUES = {
    "mbox": "mailto:xapi@adlnet.gov",
    "mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975",
    "openid": "http://openid.example.org/12345",
    "account": {"homePage": "http://www.example.com", "name": "xAPI account name"},
}

ANONYMOUS_GROUP = {
    "objectType": "Group",
    "name": "Group Anonymous",
    "member": [{k: v for k, v in agent.items() if k != "objectType"} for agent in AGENTS.values()],
}
AUTHORITY_GROUP = {
    "objectType": "Group",
    "member": [
        {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}},
        {"mbox": "mailto:bob_authority@example.com"},
    ],
}


def identified_group(ifi, member=True):
    group = {"objectType": "Group", "name": "Group Identified", ifi: IFI_VALUES[ifi]}
    if member:
        group["member"] = copy.deepcopy(ANONYMOUS_GROUP["member"])
    return group


BASE = {
    "actor": MBOX,
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
    "object": {"id": "http://www.example.com/meetings/occurances/34534"},
}
SUBSTATEMENT_BASE = {
    "actor": MBOX,
    "verb": {"id": "http://adlnet.gov/expapi/verbs/planned"},
    "object": {
        "objectType": "SubStatement",
        "actor": MBOX,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "http://www.example.com/meetings/occurances/34534"},
    },
}

# Where an Agent may appear: (path in the statement, base statement, its path in errors).
AGENT_LOCATIONS = {
    "actor": (("actor",), BASE, "statement.actor"),
    "authority": (("authority",), BASE, "statement.authority"),
    "context.instructor": (("context", "instructor"), BASE, "statement.context.instructor"),
    "object": (("object",), BASE, "statement.object"),
    "substatement.actor": (("object", "actor"), SUBSTATEMENT_BASE, "statement.object.actor"),
    "substatement.object": (("object", "object"), SUBSTATEMENT_BASE, "statement.object.object"),
    "substatement.context.instructor": (
        ("object", "context", "instructor"),
        SUBSTATEMENT_BASE,
        "statement.object.context.instructor",
    ),
}
# Where a Group may appear (authority has its own rules, below).
GROUP_LOCATIONS = {k: v for k, v in AGENT_LOCATIONS.items() if k != "authority"}
GROUP_LOCATIONS["context.team"] = (("context", "team"), BASE, "statement.context.team")
GROUP_LOCATIONS["substatement.context.team"] = (
    ("object", "context", "team"),
    SUBSTATEMENT_BASE,
    "statement.object.context.team",
)


def place(location, value, locations=AGENT_LOCATIONS):
    """A statement with ``value`` at ``location`` (creating context objects as needed)."""
    keys, base, error_path = locations[location]
    statement = copy.deepcopy(base)
    target = statement
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = copy.deepcopy(value)
    return statement, error_path


def edited(agent, key, value):
    agent = copy.deepcopy(agent)
    if value is DELETE:
        agent.pop(key, None)
    else:
        agent[key] = value
    return agent


def assert_invalid(statement, path):
    with pytest.raises(XapiValidationError) as raised:
        validate_statement(statement)
    assert raised.value.path == path, str(raised.value)
    return raised.value


# --- Data 2.4.2.1 Agent --------------------------------------------------------------------------------


@pytest.mark.parametrize("location", AGENT_LOCATIONS)
@pytest.mark.parametrize("ifi", AGENTS)
def test_agent_with_each_ifi_is_accepted(location, ifi):
    """Data 2.4.2.1 / 2.4.2.3: an Agent identified by mbox, mbox_sha1sum, openid or account, everywhere."""
    statement, _ = place(location, AGENTS[ifi])
    validate_statement(statement)


@pytest.mark.parametrize("location", [loc for loc in AGENT_LOCATIONS if not loc.endswith("object")])
def test_agent_object_type_is_optional_outside_object(location):
    """Data 2.4.2.1.s2.table1.row1: objectType "Agent" is optional except when the Agent is the object."""
    statement, _ = place(location, {"name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"})
    validate_statement(statement)


@pytest.mark.parametrize("location", AGENT_LOCATIONS)
def test_agent_without_ifi_is_rejected(location):
    """Data 2.4.2.1.s2.b1 (actors.js): an Agent MUST be identified by one IFI."""
    statement, path = place(location, {"objectType": "Agent", "name": "nobody"})
    assert_invalid(statement, path)


@pytest.mark.parametrize("location", AGENT_LOCATIONS)
@pytest.mark.parametrize(
    "first, second",
    [
        ("mbox", "account"),
        ("mbox", "mbox_sha1sum"),
        ("mbox", "openid"),
        ("mbox_sha1sum", "openid"),
        ("mbox_sha1sum", "account"),
        ("openid", "account"),
    ],
)
def test_agent_with_two_ifis_is_rejected(location, first, second):
    """Data 2.4.2.1.s2.b2 (agents.js): an Agent MUST NOT include more than one IFI."""
    agent = edited(AGENTS[first], second, IFI_VALUES[second])
    statement, path = place(location, agent)
    error = assert_invalid(statement, path)
    assert first in error.message and second in error.message


@pytest.mark.parametrize("location", AGENT_LOCATIONS)
@pytest.mark.parametrize(
    "template, key, value, suffix",
    [
        (MBOX, "objectType", 123, ".objectType"),
        (MBOX, "objectType", {"key": "value"}, ".objectType"),
        (MBOX, "objectType", "agent", ".objectType"),
        (MBOX, "objectType", "group", ".objectType"),
        (MBOX, "objectType", None, ".objectType"),
        (MBOX, "name", 123, ".name"),
        (MBOX, "name", {"key": "value"}, ".name"),
        (MBOX, "name", None, ".name"),
        (MBOX, "mbox", "http://should.fail.com", ".mbox"),
        (MBOX, "mbox", "mailto:should.fail.com", ".mbox"),
        (MBOX, "mbox", "xapi@adlnet.gov", ".mbox"),
        (MBOX, "mbox", "", ".mbox"),
        (MBOX, "mbox", {"key": "value"}, ".mbox"),
        (MBOX_SHA1SUM, "mbox_sha1sum", {"key": "value"}, ".mbox_sha1sum"),
        (MBOX_SHA1SUM, "mbox_sha1sum", "cd9b00a5611f94eaa7b1661edab976068e36497", ".mbox_sha1sum"),
        (MBOX_SHA1SUM, "mbox_sha1sum", "zd9b00a5611f94eaa7b1661edab976068e364975", ".mbox_sha1sum"),
        (MBOX_SHA1SUM, "mbox_sha1sum", "mailto:xapi@adlnet.gov", ".mbox_sha1sum"),
        (OPENID, "openid", "ab=c://should.fail.com", ".openid"),
        (OPENID, "openid", "open.id.com/testUser", ".openid"),
        (OPENID, "openid", "http://openid.example.org/a b", ".openid"),
        (OPENID, "openid", "http://openid.例え.jp/me", ".openid"),
        (OPENID, "openid", 12345, ".openid"),
        (ACCOUNT, "account", "xAPI", ".account"),
        (ACCOUNT, "account", {"homePage": "http://www.example.com"}, ".account.name"),
        (ACCOUNT, "account", {"name": "xAPI"}, ".account.homePage"),
        (ACCOUNT, "account", {"homePage": "ab=c://should.fail.com", "name": "xAPI"}, ".account.homePage"),
        (ACCOUNT, "account", {"homePage": "homePage.com/testUser", "name": "123456"}, ".account.homePage"),
        (ACCOUNT, "account", {"homePage": "http://www.example.com", "name": {"key": "value"}}, ".account.name"),
        (ACCOUNT, "account", {"homePage": "http://www.example.com", "name": None}, ".account.name"),
        (ACCOUNT, "account", {"homePage": "http://x.com", "name": "x", "mbox": "mailto:a@b.c"}, ".account.mbox"),
        (MBOX, "member", [MBOX], ".member"),
        (MBOX, "Name", "xAPI", ".Name"),
        (MBOX, "id", "http://example.com/agent", ".id"),
    ],
)
def test_invalid_agent_properties(location, template, key, value, suffix):
    """Data 2.4.2.1 / 2.4.2.3 / 2.4.2.4 (XAPI-00038..43, actors.js, ifis.js, accountobjects.js)."""
    statement, path = place(location, edited(template, key, value))
    assert_invalid(statement, path + suffix)


@pytest.mark.parametrize(
    "mbox",
    [
        "mailto:xapi@adlnet.gov",
        "mailto:first.last+tag@sub.example.co.uk",
        "mailto:o'brien@example.com",
        "mailto:user@localhost",
        "mailto:user@[192.168.0.1]",
        "mailto:Pengguna.Besar@Example.GO.ID",
        "mailto:ユーザー@例え.jp",
    ],
)
def test_valid_mbox(mbox):
    """Data 2.4.2.3.s3.table1.row1: mbox is "mailto:" + an e-mail address."""
    validate_statement({**BASE, "actor": {"mbox": mbox}})


@pytest.mark.parametrize(
    "mbox",
    [
        "mailto:",
        "mailto:@example.com",
        "mailto:user@",
        "mailto:user",
        "mailto:a b@example.com",
        "mailto:user@exa mple.com",
        "mailto:a@b@example.com",
        "mailto:user@example..com",
        "mailto:user@.example.com",
        "mailto:user@example.com.",
        "mailto:user@example.com?subject=hi",
        "mailto:<user@example.com>",
        "MAILTO:user@example.com",
        "mailto: user@example.com",
        "user@example.com",
    ],
)
def test_invalid_mbox(mbox):
    """Data 2.4.2.3 (XAPI-00038): an mbox not of the form mailto:email-address is rejected."""
    assert_invalid({**BASE, "actor": {"mbox": mbox}}, "statement.actor.mbox")


def test_mbox_sha1sum_accepts_uppercase_hex():
    validate_statement({**BASE, "actor": {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}})


@pytest.mark.parametrize("openid", ["http://openid.example.org/12345", "https://me.example.com/", "urn:openid:42"])
def test_valid_openid(openid):
    """Data 2.4.2.3.s3.table1.row3: openid is a URI."""
    validate_statement({**BASE, "actor": {"openid": openid}})


@pytest.mark.parametrize("name", ["", "1625378", "opaque account name with spaces", "ユーザー"])
def test_account_names_are_any_string(name):
    """Data 2.4.2.4: an Account's name is a String (opaque ids welcome)."""
    validate_statement({**BASE, "actor": {"account": {"homePage": "http://www.example.com", "name": name}}})


# --- Data 2.4.2.2 Group --------------------------------------------------------------------------------


@pytest.mark.parametrize("location", GROUP_LOCATIONS)
@pytest.mark.parametrize(
    "group",
    [
        ANONYMOUS_GROUP,
        {"objectType": "Group", "member": [{"mbox": "mailto:one@example.com"}]},
        identified_group("mbox"),
        identified_group("mbox_sha1sum"),
        identified_group("openid"),
        identified_group("account"),
        identified_group("mbox", member=False),
        identified_group("mbox_sha1sum", member=False),
        identified_group("openid", member=False),
        identified_group("account", member=False),
        {"objectType": "Group", "mbox": "mailto:team@example.com", "member": []},
    ],
    ids=[
        "anonymous",
        "anonymous-one",
        "mbox",
        "sha1",
        "openid",
        "account",
        "mbox-nm",
        "sha1-nm",
        "openid-nm",
        "acct-nm",
        "empty",
    ],
)
def test_valid_groups(location, group):
    """Data 2.4.2.2: Anonymous Groups (member) and Identified Groups (one IFI, member optional)."""
    statement, _ = place(location, group, GROUP_LOCATIONS)
    validate_statement(statement)


@pytest.mark.parametrize("location", GROUP_LOCATIONS)
@pytest.mark.parametrize(
    "group, suffix",
    [
        ({"objectType": "Group", "name": "no one"}, ".member"),
        ({"objectType": "Group", "member": []}, ".member"),
        ({"objectType": "Group", "member": MBOX}, ".member"),
        ({"objectType": "Group", "member": "mailto:xapi@adlnet.gov"}, ".member"),
        ({"objectType": "Group", "member": None}, ".member"),
        ({"objectType": "Group", "member": [MBOX, None]}, ".member[1]"),
        ({"objectType": "Group", "member": [MBOX, "mailto:xapi@adlnet.gov"]}, ".member[1]"),
        ({"objectType": "Group", "member": [ANONYMOUS_GROUP]}, ".member[0].objectType"),
        ({"objectType": "Group", "member": [MBOX, identified_group("openid", member=False)]}, ".member[1].objectType"),
        ({"objectType": "Group", "member": [{"name": "nobody"}]}, ".member[0]"),
        ({"objectType": "Group", "member": [{"mbox": "mailto:should.fail.com"}]}, ".member[0].mbox"),
        ({"objectType": "Group", "member": [{"objectType": "agent", "mbox": "mailto:a@b.c"}]}, ".member[0].objectType"),
        ({**identified_group("mbox"), "account": IFI_VALUES["account"]}, ""),
        ({**identified_group("openid"), "mbox_sha1sum": IFI_VALUES["mbox_sha1sum"]}, ""),
        ({**identified_group("account"), "openid": IFI_VALUES["openid"]}, ""),
        ({**identified_group("mbox"), "mbox": "http://should.fail.com"}, ".mbox"),
        ({**identified_group("mbox"), "mbox": "mailto:should.fail.com"}, ".mbox"),
        ({**identified_group("openid"), "openid": "ab=c://should.fail.com"}, ".openid"),
        ({**identified_group("mbox_sha1sum"), "mbox_sha1sum": {"key": "value"}}, ".mbox_sha1sum"),
        ({**identified_group("account"), "account": {"name": "x"}}, ".account.homePage"),
        ({**identified_group("account"), "account": {"homePage": "http://x.com"}}, ".account.name"),
        ({**identified_group("account"), "account": {"homePage": "ab=c://f", "name": "x"}}, ".account.homePage"),
        ({**identified_group("account"), "account": {"homePage": "http://x.com", "name": {"k": "v"}}}, ".account.name"),
        ({**ANONYMOUS_GROUP, "objectType": "group"}, ".objectType"),
        ({**ANONYMOUS_GROUP, "name": 123}, ".name"),
        ({**ANONYMOUS_GROUP, "members": []}, ".members"),
    ],
)
def test_invalid_groups(location, group, suffix):
    """Data 2.4.2.2 (XAPI-00035/36/37, groups.js): member rules and exactly one IFI for Identified Groups."""
    statement, path = place(location, group, GROUP_LOCATIONS)
    assert_invalid(statement, path + suffix)


# --- Data 2.4.4.2 Agent or Group as object -------------------------------------------------------------


@pytest.mark.parametrize("value", [MBOX, ANONYMOUS_GROUP, identified_group("account")])
@pytest.mark.parametrize("location", ["object", "substatement.object"])
def test_agent_or_group_object_requires_object_type(location, value):
    """Data 2.4.4.2.s1.b1 (XAPI-00065): an Agent or Group used as the object MUST have objectType."""
    statement, path = place(location, edited(value, "objectType", DELETE))
    error = assert_invalid(statement, path + ".objectType")
    assert "Agent or Group" in error.message


# --- Data 2.4.6 instructor and team --------------------------------------------------------------------


@pytest.mark.parametrize(
    "team, suffix",
    [
        (MBOX, ".objectType"),
        ({"mbox": "mailto:xapi@adlnet.gov"}, ".objectType"),
        ({"key": "should fail"}, ".objectType"),
        ("should fail", ""),
        (["should fail"], ""),
        ({"objectType": "Team", "mbox": "mailto:team@example.com"}, ".objectType"),
    ],
)
@pytest.mark.parametrize("location", ["context.team", "substatement.context.team"])
def test_team_must_be_a_group(location, team, suffix):
    """Data 2.4.6.s3.table1.row3 (contexts.js): context.team is a Group, not an Agent."""
    statement, path = place(location, team, GROUP_LOCATIONS)
    assert_invalid(statement, path + suffix)


@pytest.mark.parametrize("instructor, suffix", [({"key": "should fail"}, ".key"), ("should fail", ""), (None, "")])
@pytest.mark.parametrize("location", ["context.instructor", "substatement.context.instructor"])
def test_instructor_must_be_an_agent_or_group(location, instructor, suffix):
    """Data 2.4.6.s3.table1.row2 (contexts.js): context.instructor is an Agent (MAY be a Group)."""
    statement, path = place(location, instructor)
    assert_invalid(statement, path + suffix)


# --- Data 2.4.9 authority ------------------------------------------------------------------------------


@pytest.mark.parametrize("authority", [MBOX, ACCOUNT, OPENID, MBOX_SHA1SUM, AUTHORITY_GROUP])
def test_valid_authority(authority):
    """Data 2.4.9.s3.b1 (authorities.js): an Agent, or a Group of two Agents (3-legged OAuth)."""
    statement, _ = place("authority", authority)
    validate_statement(statement)


@pytest.mark.parametrize(
    "authority, suffix",
    [
        ({**AUTHORITY_GROUP, "mbox": "mailto:bob@example.com"}, ".mbox"),
        ({**AUTHORITY_GROUP, "mbox_sha1sum": IFI_VALUES["mbox_sha1sum"]}, ".mbox_sha1sum"),
        ({**AUTHORITY_GROUP, "openid": IFI_VALUES["openid"]}, ".openid"),
        ({**AUTHORITY_GROUP, "account": IFI_VALUES["account"]}, ".account"),
        (identified_group("openid", member=False), ".openid"),
        (
            {
                "objectType": "Group",
                "name": "xAPI Group",
                "mbox": "mailto:xapigroup@example.com",
                "member": [
                    {"name": "agentA", "mbox": "mailto:agentA@example.com"},
                    {"name": "agentB", "mbox": "mailto:agentB@example.com"},
                ],
            },
            ".mbox",
        ),
        ({"objectType": "Group"}, ".member"),
        ({"objectType": "Group", "member": [{"mbox": "mailto:bob@example.com"}]}, ".member"),
        (
            {"objectType": "Group", "member": AUTHORITY_GROUP["member"] + [{"mbox": "mailto:james@example.com"}]},
            ".member",
        ),
        ({"objectType": "Group", "member": []}, ".member"),
        ({"objectType": "Group", "member": MBOX}, ".member"),
        ({"objectType": "Group", "member": [MBOX, AUTHORITY_GROUP]}, ".member[1].objectType"),
        ({"objectType": "Group", "member": [MBOX, {"mbox": "mailto:should.fail.com"}]}, ".member[1].mbox"),
        ({**AUTHORITY_GROUP, "foo": "bar"}, ".foo"),
        ({"objectType": "Agent", "name": "nobody"}, ""),
        ({**MBOX, "objectType": 123}, ".objectType"),
        ({**ACCOUNT, "account": {"homePage": "http://www.example.com"}}, ".account.name"),
        ("mailto:xapi@adlnet.gov", ""),
    ],
)
def test_invalid_authority(authority, suffix):
    """Data 2.4.9.s3.b1 (XAPI-00098, XAPI-00100): an authority Group is anonymous with exactly two Agents."""
    statement, path = place("authority", authority)
    assert_invalid(statement, path + suffix)


def test_substatement_must_not_have_authority():
    """Data 2.4.4.3.s8.b3: a SubStatement MUST NOT have authority."""
    statement, _ = place("authority", MBOX)
    statement["object"] = {**SUBSTATEMENT_BASE["object"], "authority": MBOX}
    assert_invalid(statement, "statement.object.authority")


# --- validate_agent (also used for the ?agent= parameters) ---------------------------------------------


@pytest.mark.parametrize("agent", [MBOX, MBOX_SHA1SUM, OPENID, ACCOUNT, ANONYMOUS_GROUP, identified_group("mbox")])
def test_validate_agent_accepts_agents_and_groups(agent):
    validate_agent(agent, "agent")


@pytest.mark.parametrize("agent", [MBOX, {"account": ACCOUNT["account"]}])
def test_validate_agent_without_groups(agent):
    validate_agent(agent, "agent", allow_group=False)


@pytest.mark.parametrize(
    "agent, path",
    [
        (ANONYMOUS_GROUP, "agent.objectType"),
        (identified_group("mbox"), "agent.objectType"),
        ({"objectType": "Group", "mbox": "mailto:a@b.c"}, "agent.objectType"),
    ],
)
def test_validate_agent_rejects_groups_when_not_allowed(agent, path):
    with pytest.raises(XapiValidationError) as raised:
        validate_agent(agent, "agent", allow_group=False)
    assert raised.value.path == path


@pytest.mark.parametrize(
    "agent, path",
    [
        ("wrong", "agent"),
        ([], "agent"),
        ({}, "agent"),
        ({"mbox": "xapi@adlnet.gov"}, "agent.mbox"),
        ({"mbox": "mailto:a@b.c", "openid": "http://x.org/1"}, "agent"),
        ({"objectType": "Activity", "id": "http://x.org/1"}, "agent.objectType"),
    ],
)
def test_validate_agent_rejects_invalid_parameters(agent, path):
    """Communication 2.1.3 / Data 2.2.s4.b4 (XAPI-00012): parameters validate like statement values."""
    with pytest.raises(XapiValidationError) as raised:
        validate_agent(agent, "agent")
    assert raised.value.path == path


# --- agent_ifi -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agent, ifi",
    [
        ({"mbox": "mailto:Xapi@AdlNet.gov"}, "mbox:mailto:xapi@adlnet.gov"),
        (
            {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"},
            "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975",
        ),
        ({"openid": "http://openid.example.org/12345"}, "openid:http://openid.example.org/12345"),
        ({"account": {"homePage": "http://www.example.com", "name": "Xapi"}}, "account:http://www.example.com|Xapi"),
        (identified_group("openid"), "openid:http://openid.example.org/12345"),
        (ANONYMOUS_GROUP, ""),
    ],
)
def test_agent_ifi(agent, ifi):
    """Data 2.4.2.3: the canonical IFI string used for index keys and agent filters."""
    assert agent_ifi(agent) == ifi


def test_agent_ifi_matches_actors_module():
    """The same keys as lms.xapi.actors.actor_ifi, so stored index keys stay comparable."""
    from lms.xapi.actors import actor_ifi

    for agent in [*AGENTS.values(), identified_group("account"), ANONYMOUS_GROUP]:
        assert agent_ifi(agent) == actor_ifi(agent)
