"""Validation of xAPI 1.0.3 Statements (xAPI-Data, Part Two), as an LRS must apply it before storing.

Pure Python: no Django, no database, no JSON-schema library. Every check is a plain function over the
decoded JSON (dicts, lists, str, int, float, bool, None). The first problem raises an
``XapiValidationError`` whose ``path`` names the offending property, e.g. ``statement.actor.mbox`` or
``statements[3].result.score.scaled``; map keys (language tags, extension IRIs) are shown in brackets,
e.g. ``statement.verb.display["a12345"]``.

Section references ("Data 2.4.2.1" ...) are to xAPI-Data.md of the 1.0.3 specification. Where the
specification leaves room, the behaviour follows the ADL LRS conformance test suite (test/v1_0_3); the
notable choices:

* UUIDs: any 8-4-4-4-12 hexadecimal string, either case, any version or variant (the specification's
  own examples use non-RFC-4122 variants; the suite only rejects wrong lengths and non-hex digits).
* Language maps must not be empty and their keys must be well-formed RFC 5646 tags, including the
  grandfathered ones (``i-enochian``); duplicate variants or extension singletons are rejected.
* An empty ``contextActivities`` object is rejected; an empty activity ``definition``, ``result``,
  ``context`` or ``extensions`` object is accepted.
* "revision" and "platform" are only allowed when the statement's object is an Activity (Data
  2.4.6.s4), so a StatementRef or SubStatement object rules them out too, as the suite checks.
* Timestamps: ISO 8601 combined date and time, basic or extended, at least minute precision; time zone
  optional; the "unknown local offset" forms ``-00``, ``-0000`` and ``-00:00`` are rejected.
* version: ``1.0`` or ``1.0.<digits>``.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

__all__ = [
    "MAX_EXTENSION_DEPTH",
    "XapiValidationError",
    "agent_ifi",
    "validate_agent",
    "validate_duration",
    "validate_extensions",
    "validate_iri",
    "validate_irl",
    "validate_language_map",
    "validate_language_tag",
    "validate_statement",
    "validate_statement_batch",
    "validate_timestamp",
    "validate_uuid",
    "validate_version",
]

#: Containers nested inside one extension value deeper than this are rejected (hostile input guard).
MAX_EXTENSION_DEPTH = 32

VERB_VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE_TYPE = "http://adlnet.gov/expapi/attachments/signature"


class XapiValidationError(ValueError):
    """A Statement (or a part of one) does not conform to xAPI 1.0.3; the LRS answers 400 Bad Request."""

    def __init__(self, path: str, message: str):
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


_MISSING: Any = object()

_KIND = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _kind(value: object) -> str:
    return _KIND.get(type(value), type(value).__name__)


def _fail(path: str, message: str):
    raise XapiValidationError(path, message)


def _key_path(path: str, key: object) -> str:
    """The path of a map entry (language tag, extension IRI): the key in brackets, JSON-quoted."""
    return f"{path}[{json.dumps(key, ensure_ascii=False) if isinstance(key, str) else repr(key)}]"


def _expect_dict(value: object, path: str, what: str) -> None:
    if not isinstance(value, dict):
        _fail(path, f"must be {what} (a JSON object), got {_kind(value)}")


def _expect_str(value: object, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, f"must be a string, got {_kind(value)}")


def _unknown(path: str, key: object, what: str):
    _fail(f"{path}.{key}", f"is not a property of {what}")


def _only(value: dict, path: str, allowed: frozenset, what: str) -> None:
    """Refuse the first property of ``value`` that ``allowed`` does not name."""
    for key in value:
        if key not in allowed:
            _unknown(path, key, what)


def _is_number(value: object) -> bool:
    """A finite JSON number: int or float (or Decimal, from json.loads(parse_float=Decimal)); not bool."""
    t = type(value)
    if t is int:
        return True
    if t is float:
        return math.isfinite(value)
    return t is Decimal and value.is_finite()


# --- Data 4.4 UUIDs ------------------------------------------------------------------------------------

_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def validate_uuid(value: object, path: str) -> None:
    """Data 4.4: a UUID in standard string form (8-4-4-4-12 hex digits)."""
    if not isinstance(value, str):
        _fail(path, f"must be a UUID string, got {_kind(value)}")
    if _UUID_RE.fullmatch(value) is None:
        _fail(path, "must be a UUID in standard string form (8-4-4-4-12 hexadecimal digits)")


# --- Data 4.3 IRIs, IRLs, URIs -------------------------------------------------------------------------

# RFC 3987: a scheme, then no whitespace, controls or the characters excluded from IRIs; an http(s) IRI
# needs a host after "//".
_IRI_RE = re.compile(r"(?!(?i:https?)://(?:[/?#]|\Z))[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]+")
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+")


def _is_iri(value: str) -> bool:
    return _IRI_RE.fullmatch(value) is not None and ("%" not in value or _BAD_PERCENT_RE.search(value) is None)


def _iri_problem(value: str) -> str:
    """Why ``value`` (a string that is not an IRI) is not an IRI."""
    if ":" not in value:
        return "must be an absolute IRI with a scheme (e.g. http://...)"
    if _IRI_RE.fullmatch(value) is None:
        if value[:8].lower().startswith(("http://", "https://")):
            rest = value.split("//", 1)[1]
            if not rest or rest[0] in "/?#":
                return "must be an IRI with a host after '//'"
        return 'must be an absolute IRI (a scheme, no spaces or characters such as <>"{}|\\^`)'
    return "must be an IRI: '%' must be followed by two hexadecimal digits"


def validate_iri(value: object, path: str) -> None:
    """Data 4.3 / 2.2: an absolute IRI (RFC 3987); relative references and strings with spaces fail."""
    if not isinstance(value, str):
        _fail(path, f"must be an IRI string, got {_kind(value)}")
    if not _is_iri(value):
        _fail(path, _iri_problem(value))


def validate_irl(value: object, path: str) -> None:
    """An IRL (homePage, moreInfo, fileUrl): validated as an absolute IRI."""
    validate_iri(value, path)


def _uri(value: object, path: str) -> None:
    """An absolute URI (openid): an IRI restricted to ASCII URI characters."""
    validate_iri(value, path)
    if _URI_RE.fullmatch(value) is None:
        _fail(path, "must be an absolute URI (ASCII only, no spaces)")


# --- Data 4.2 Language maps (RFC 5646 tags) ------------------------------------------------------------

_LANG_TAG_RE = re.compile(
    r"""
    (?:
        (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})        # language, extlang
        (?:-[a-z]{4})?                                            # script
        (?:-(?:[a-z]{2}|[0-9]{3}))?                               # region
        (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)    # variants
        (?P<extensions>(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*)       # extensions
        (?:-x(?:-[a-z0-9]{1,8})+)?                                # private use
    |
        x(?:-[a-z0-9]{1,8})+                                      # private use only
    )
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,  # ASCII: no Kelvin sign or long s through case folding
)
# RFC 5646 2.2.8: irregular grandfathered tags (the regular ones match the grammar above).
_IRREGULAR_TAGS = frozenset(
    t.lower()
    for t in (
        "en-GB-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn i-tao "
        "i-tay i-tsu sgn-BE-FR sgn-BE-NL sgn-CH-DE"
    ).split()
)
_MAX_LANG_TAG_LENGTH = 128
_MAX_TAG_CACHE = 4096
_valid_tags: set[str] = set()  # tags seen valid; bounded, so hostile input cannot grow it without limit


def _is_language_tag(tag: str) -> bool:
    if len(tag) > _MAX_LANG_TAG_LENGTH:
        return False
    match = _LANG_TAG_RE.fullmatch(tag)
    if match is None:
        return tag.lower() in _IRREGULAR_TAGS
    variants = match.group("variants")
    if variants:
        seen = variants.lower().split("-")[1:]
        if len(seen) != len(set(seen)):
            return False  # RFC 5646 2.2.5: a variant must not repeat
    extensions = match.group("extensions")
    if extensions:
        singletons = [s for s in extensions.lower().split("-")[1:] if len(s) == 1]
        if len(singletons) != len(set(singletons)):
            return False  # RFC 5646 2.2.6: an extension singleton must not repeat
    return True


def validate_language_tag(value: object, path: str) -> None:
    """An RFC 5646 language tag (context.language)."""
    if not isinstance(value, str):
        _fail(path, f"must be an RFC 5646 language tag string, got {_kind(value)}")
    if value not in _valid_tags:
        if not _is_language_tag(value):
            _fail(path, f"{value!r} is not a valid RFC 5646 language tag")
        if len(_valid_tags) < _MAX_TAG_CACHE:
            _valid_tags.add(value)


def validate_language_map(value: object, path: str) -> None:
    """Data 4.2: an object of RFC 5646 language tag -> string, with at least one entry."""
    if not isinstance(value, dict):
        _fail(path, f"must be a language map (an object of language tag to string), got {_kind(value)}")
    if not value:
        _fail(path, "a language map must contain at least one language tag")
    for tag, text in value.items():
        if tag not in _valid_tags:
            if not isinstance(tag, str) or not _is_language_tag(tag):
                _fail(_key_path(path, tag), f"{tag!r} is not a valid RFC 5646 language tag")
            if len(_valid_tags) < _MAX_TAG_CACHE:
                _valid_tags.add(tag)
        if not isinstance(text, str):
            _fail(_key_path(path, tag), f"a language map value must be a string, got {_kind(text)}")


# --- Data 4.1 Extensions -------------------------------------------------------------------------------


def _check_json_value(value: object, path: str) -> None:
    """Any JSON value, but no containers nested deeper than MAX_EXTENSION_DEPTH and no NaN/Infinity."""
    t = type(value)
    if t is not dict and t is not list:
        if (t is float or t is Decimal) and not _is_number(value):
            _fail(path, "NaN and Infinity are not JSON values")
        return
    stack = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        container, depth = pop()
        if depth > MAX_EXTENSION_DEPTH:
            _fail(path, f"is nested deeper than {MAX_EXTENSION_DEPTH} levels")
        for item in container.values() if type(container) is dict else container:
            it = type(item)
            if it is dict or it is list:
                push((item, depth + 1))
            elif (it is float or it is Decimal) and not _is_number(item):
                _fail(path, "NaN and Infinity are not JSON values")


def validate_extensions(value: object, path: str) -> None:
    """Data 4.1: an object whose keys are IRIs; values are any JSON (null included), depth-limited."""
    if not isinstance(value, dict):
        _fail(path, f"must be an extensions object, got {_kind(value)}")
    for key, item in value.items():
        if not isinstance(key, str):
            _fail(_key_path(path, key), "extension keys must be IRIs")
        if not _is_iri(key):
            _fail(_key_path(path, key), f"extension keys must be IRIs: {_iri_problem(key)}")
        t = type(item)
        if t is dict or t is list or t is float or t is Decimal:
            _check_json_value(item, _key_path(path, key))


# --- Data 4.5 Timestamps, 4.6 Durations, 2.4.10 Version ------------------------------------------------

# re.ASCII throughout: \d is 0-9 only, not every Unicode digit.
_TIMESTAMP_EXTENDED_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?", re.ASCII
)
_TIMESTAMP_BASIC_RE = re.compile(
    r"(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,]\d+)?)?([Zz]|[+-]\d{2}(?:\d{2})?)?", re.ASCII
)
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _timestamp_problem(value: str) -> str | None:
    match = _TIMESTAMP_EXTENDED_RE.fullmatch(value) or _TIMESTAMP_BASIC_RE.fullmatch(value)
    if match is None:
        return "must be an ISO 8601 date and time, e.g. 2013-05-18T05:32:34.804Z"
    year, month, day, hour, minute, second, offset = match.groups()
    year, month, day = int(year), int(month), int(day)
    if year < 1 or not 1 <= month <= 12:
        return "is not a valid date"
    if day < 1 or day > _DAYS_IN_MONTH[month]:
        return "is not a valid date"
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return "is not a valid date (not a leap year)"
    if int(hour) > 23 or int(minute) > 59 or (second is not None and int(second) > 59):
        return "is not a valid time of day"
    if offset and offset not in ("Z", "z"):
        digits = offset[1:].replace(":", "")
        if int(digits[:2]) > 23 or (len(digits) == 4 and int(digits[2:]) > 59):
            return "has an invalid time zone offset"
        if offset[0] == "-" and int(digits) == 0:
            return "must not use a negative zero time zone offset (-00:00); use Z or +00:00"
    return None


def validate_timestamp(value: object, path: str) -> None:
    """Data 4.5: an ISO 8601 combined date and time (time zone recommended, not required)."""
    if not isinstance(value, str):
        _fail(path, f"must be an ISO 8601 timestamp string, got {_kind(value)}")
    problem = _timestamp_problem(value)
    if problem is not None:
        _fail(path, problem)


_NUM = r"(\d+(?:[.,]\d+)?)"
_DURATION_RE = re.compile(
    rf"P(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?(?:(T)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?", re.ASCII
)
_DURATION_WEEKS_RE = re.compile(rf"P{_NUM}W", re.ASCII)


def validate_duration(value: object, path: str) -> None:
    """Data 4.6: an ISO 8601:2004 4.4.3.2 duration, PnYnMnDTnHnMnS or PnW (no alternative format)."""
    if not isinstance(value, str):
        _fail(path, f"must be an ISO 8601 duration string, got {_kind(value)}")
    if _DURATION_WEEKS_RE.fullmatch(value):
        return
    match = _DURATION_RE.fullmatch(value)
    if match is None:
        _fail(path, "must be an ISO 8601 duration, e.g. PT1H30M or P4W")
    years, months, days, t, hours, minutes, seconds = match.groups()
    parts = [p for p in (years, months, days, hours, minutes, seconds) if p is not None]
    if not parts:
        _fail(path, "an ISO 8601 duration needs at least one component")
    if t is not None and hours is None and minutes is None and seconds is None:
        _fail(path, "an ISO 8601 duration must have a time component after 'T'")
    for part in parts[:-1]:
        if "." in part or "," in part:
            _fail(path, "only the smallest component of an ISO 8601 duration may have a fraction")


_VERSION_RE = re.compile(r"1\.0(?:\.\d+)?", re.ASCII)


def validate_version(value: object, path: str) -> None:
    """Data 2.4.10: "1.0" or "1.0.x"; anything not starting "1.0." (0.9.9, 1.1.0, ...) is rejected."""
    if not isinstance(value, str):
        _fail(path, f"must be a version string, got {_kind(value)}")
    if _VERSION_RE.fullmatch(value) is None:
        _fail(path, f"{value!r} is not a supported xAPI version (expected 1.0 or 1.0.x)")


# --- Data 2.4.2 Actor: Agents, Groups, inverse functional identifiers ----------------------------------

_IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = frozenset(("objectType", "name", *_IFI_KEYS))
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS = frozenset(("homePage", "name"))

# mailto: + an e-mail address: a local part, "@", dot-separated domain labels (or an address literal).
_MBOX_RE = re.compile(
    r"mailto:[^\s@<>()\[\]\\,;:\"]+@"
    r"(?:(?:[^\s@<>()\[\]\\,;:\"./?#%]+\.)*[^\s@<>()\[\]\\,;:\"./?#%]+|\[[^\s\[\]\\]+\])"
)
_SHA1_RE = re.compile(r"[0-9a-fA-F]{40}")


def _mbox(value: object, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, f"must be a mailto IRI string, got {_kind(value)}")
    if _MBOX_RE.fullmatch(value) is None:
        if not value.startswith("mailto:"):
            _fail(path, "must have the form mailto:email-address")
        _fail(path, "must be mailto: followed by a valid e-mail address")


def _account(value: object, path: str) -> None:
    _expect_dict(value, path, "an Account")
    _only(value, path, _ACCOUNT_KEYS, "an Account (homePage, name)")
    home_page = value.get("homePage", _MISSING)
    if home_page is _MISSING:
        _fail(f"{path}.homePage", "an Account requires homePage")
    validate_irl(home_page, f"{path}.homePage")
    name = value.get("name", _MISSING)
    if name is _MISSING:
        _fail(f"{path}.name", "an Account requires name")
    _expect_str(name, f"{path}.name")


def _ifis(value: dict, path: str, what: str, required: bool) -> int:
    """Validate the IFIs present; an Agent needs exactly one, an Identified Group exactly one, else none."""
    present = [key for key in _IFI_KEYS if key in value]
    if len(present) > 1:
        _fail(path, f"{what} MUST have exactly one inverse functional identifier, found {', '.join(present)}")
    if not present:
        if required:
            _fail(path, f"{what} MUST be identified by one of mbox, mbox_sha1sum, openid, account")
        return 0
    key = present[0]
    item = value[key]
    if key == "mbox":
        _mbox(item, f"{path}.mbox")
    elif key == "mbox_sha1sum":
        if not isinstance(item, str):
            _fail(f"{path}.mbox_sha1sum", f"must be a string, got {_kind(item)}")
        if _SHA1_RE.fullmatch(item) is None:
            _fail(f"{path}.mbox_sha1sum", "must be the 40 hexadecimal digits of a SHA-1 hash")
    elif key == "openid":
        _uri(item, f"{path}.openid")
    else:
        _account(item, f"{path}.account")
    return 1


def _name(value: dict, path: str) -> None:
    name = value.get("name", _MISSING)
    if name is not _MISSING and not isinstance(name, str):
        _fail(f"{path}.name", f"must be a string, got {_kind(name)}")


def _agent(value: dict, path: str) -> None:
    """Data 2.4.2.1: an Agent's properties (objectType already checked)."""
    for key in value:
        if key not in _AGENT_KEYS:
            if key == "member":
                _fail(f"{path}.member", "'member' is only allowed on a Group (objectType 'Group')")
            _unknown(path, key, "an Agent")
    _name(value, path)
    _ifis(value, path, "an Agent", required=True)


def _member_agent(value: object, path: str) -> None:
    """Data 2.4.2.2: a Group member is an Agent, never a Group."""
    _expect_dict(value, path, "an Agent")
    object_type = value.get("objectType", _MISSING)
    if object_type is not _MISSING and object_type != "Agent":
        if object_type == "Group":
            _fail(f"{path}.objectType", "a Group's members MUST be Agents, not Groups")
        _object_type_error(object_type, f"{path}.objectType", "'Agent'")
    _agent(value, path)


def _members(members: object, path: str) -> list:
    if not isinstance(members, list):
        _fail(path, f"must be an array of Agents, got {_kind(members)}")
    for index, member in enumerate(members):
        _member_agent(member, f"{path}[{index}]")
    return members


def _group(value: dict, path: str) -> None:
    """Data 2.4.2.2: an Anonymous Group (member, no IFI) or an Identified Group (exactly one IFI)."""
    _only(value, path, _GROUP_KEYS, "a Group")
    _name(value, path)
    identified = _ifis(value, path, "an Identified Group", required=False)
    members = value.get("member", _MISSING)
    if members is _MISSING:
        if not identified:
            _fail(f"{path}.member", "an Anonymous Group (no mbox, mbox_sha1sum, openid or account) MUST have member")
        return
    _members(members, f"{path}.member")
    if not identified and not members:
        _fail(f"{path}.member", "an Anonymous Group MUST have at least one member")


def _object_type_error(object_type: object, path: str, expected: str):
    if not isinstance(object_type, str):
        _fail(path, f"must be a string, got {_kind(object_type)}")
    _fail(path, f"must be {expected} (case-sensitive), got {object_type!r}")


def validate_agent(value: object, path: str, *, allow_group: bool = True) -> None:
    """Data 2.4.2: an Agent (objectType optional) or, if allowed, a Group (objectType 'Group')."""
    _expect_dict(value, path, "an Agent or Group" if allow_group else "an Agent")
    object_type = value.get("objectType", _MISSING)
    if object_type is _MISSING or object_type == "Agent":
        _agent(value, path)
    elif object_type == "Group":
        if not allow_group:
            _fail(f"{path}.objectType", "must be 'Agent' here: a Group is not allowed")
        _group(value, path)
    else:
        _object_type_error(object_type, f"{path}.objectType", "'Agent' or 'Group'" if allow_group else "'Agent'")


def _team(value: object, path: str) -> None:
    """Data 2.4.6: context.team is a Group."""
    _expect_dict(value, path, "a Group")
    object_type = value.get("objectType", _MISSING)
    if object_type != "Group":
        if object_type is _MISSING or object_type == "Agent":
            _fail(f"{path}.objectType", "context.team MUST be a Group (objectType 'Group')")
        _object_type_error(object_type, f"{path}.objectType", "'Group'")
    _group(value, path)


def _authority(value: object, path: str) -> None:
    """Data 2.4.9: an Agent, or (3-legged OAuth) an anonymous Group of exactly two Agents."""
    _expect_dict(value, path, "an Agent or Group")
    if value.get("objectType", _MISSING) != "Group":
        validate_agent(value, path, allow_group=True)
        return
    _only(value, path, _GROUP_KEYS, "a Group")
    _name(value, path)
    present = [key for key in _IFI_KEYS if key in value]
    if present:
        _fail(f"{path}.{present[0]}", "an authority Group MUST be an anonymous Group of two Agents (3-legged OAuth)")
    members = value.get("member", _MISSING)
    if members is _MISSING:
        _fail(f"{path}.member", "an authority Group MUST have member: the OAuth consumer and the user")
    _members(members, f"{path}.member")
    if len(members) != 2:
        _fail(f"{path}.member", f"an authority Group MUST have exactly two Agents, got {len(members)}")


def agent_ifi(agent: dict) -> str:
    """The canonical inverse functional identifier of an Agent or Identified Group.

    ``mbox:mailto:x@y`` (lower-cased), ``mbox_sha1sum:<hex, lower-cased>``, ``openid:<uri>`` or
    ``account:<homePage>|<name>``; the empty string for an Anonymous Group (or anything without an IFI).
    Same format as ``lms.xapi.actors.actor_ifi``, so index keys stay comparable.
    """
    mbox = agent.get("mbox")
    if isinstance(mbox, str):
        return f"mbox:{mbox.lower()}"
    sha1 = agent.get("mbox_sha1sum")
    if isinstance(sha1, str):
        return f"mbox_sha1sum:{sha1.lower()}"
    openid = agent.get("openid")
    if isinstance(openid, str):
        return f"openid:{openid}"
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage', '')}|{account.get('name', '')}"
    return ""


# --- Data 2.4.3 Verb -----------------------------------------------------------------------------------

_VERB_KEYS = frozenset(("id", "display"))


def _verb(value: object, path: str) -> str:
    _expect_dict(value, path, "a Verb")
    _only(value, path, _VERB_KEYS, "a Verb (id, display)")
    verb_id = value.get("id", _MISSING)
    if verb_id is _MISSING:
        _fail(f"{path}.id", "a Verb requires id")
    validate_iri(verb_id, f"{path}.id")
    display = value.get("display", _MISSING)
    if display is not _MISSING:
        validate_language_map(display, f"{path}.display")
    return verb_id


# --- Data 2.4.4 Object: Activity, Agent/Group, StatementRef, SubStatement ------------------------------

_ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))
_AGENTISH_KEYS = frozenset(("member", *_IFI_KEYS))
_SUBSTATEMENTISH_KEYS = frozenset(("actor", "verb", "object"))
_INTERACTION_TYPES = frozenset(
    "true-false choice fill-in long-fill-in matching performance sequencing likert numeric other".split()
)
# Data 2.4.4.1.s15: the interaction component lists each interactionType supports.
_COMPONENT_LISTS = {
    "choices": frozenset(("choice", "sequencing")),
    "scale": frozenset(("likert",)),
    "source": frozenset(("matching",)),
    "target": frozenset(("matching",)),
    "steps": frozenset(("performance",)),
}
_COMPONENT_KEYS = frozenset(("id", "description"))


def _components(value: object, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, f"must be an array of interaction components, got {_kind(value)}")
    ids = set()
    for index, component in enumerate(value):
        item_path = f"{path}[{index}]"
        _expect_dict(component, item_path, "an interaction component")
        for key in component:
            if key not in _COMPONENT_KEYS:
                _unknown(item_path, key, "an interaction component (id, description)")
        component_id = component.get("id", _MISSING)
        if component_id is _MISSING:
            _fail(f"{item_path}.id", "an interaction component requires id")
        _expect_str(component_id, f"{item_path}.id")
        if component_id in ids:
            _fail(f"{item_path}.id", f"interaction component ids MUST be distinct; {component_id!r} repeats")
        ids.add(component_id)
        description = component.get("description", _MISSING)
        if description is not _MISSING:
            validate_language_map(description, f"{item_path}.description")


def _definition(value: object, path: str) -> None:
    """Data 2.4.4.1: an Activity Definition, with the Interaction Activity rules."""
    _expect_dict(value, path, "an Activity Definition")
    interaction_type = _MISSING
    interaction_keys = []
    for key, item in value.items():
        if key == "name" or key == "description":
            validate_language_map(item, f"{path}.{key}")
        elif key == "type":
            validate_iri(item, f"{path}.type")
        elif key == "moreInfo":
            validate_irl(item, f"{path}.moreInfo")
        elif key == "extensions":
            validate_extensions(item, f"{path}.extensions")
        elif key == "interactionType":
            if not isinstance(item, str):
                _fail(f"{path}.interactionType", f"must be a string, got {_kind(item)}")
            if item not in _INTERACTION_TYPES:
                _fail(
                    f"{path}.interactionType",
                    f"{item!r} is not an interactionType (true-false, choice, fill-in, long-fill-in, matching, "
                    "performance, sequencing, likert, numeric, other; case-sensitive)",
                )
            interaction_type = item
        elif key == "correctResponsesPattern":
            if not isinstance(item, list):
                _fail(f"{path}.correctResponsesPattern", f"must be an array of strings, got {_kind(item)}")
            for index, pattern in enumerate(item):
                if not isinstance(pattern, str):
                    _fail(f"{path}.correctResponsesPattern[{index}]", f"must be a string, got {_kind(pattern)}")
            interaction_keys.append(key)
        elif key in _COMPONENT_LISTS:
            _components(item, f"{path}.{key}")
            interaction_keys.append(key)
        else:
            _unknown(path, key, "an Activity Definition")
    if interaction_keys:
        if interaction_type is _MISSING:
            _fail(
                f"{path}.interactionType",
                f"interactionType is required when {', '.join(interaction_keys)} is present",
            )
        for key in interaction_keys:
            allowed = _COMPONENT_LISTS.get(key)
            if allowed is not None and interaction_type not in allowed:
                _fail(f"{path}.{key}", f"{key!r} is not an interaction component list of {interaction_type!r}")


def _activity(value: dict, path: str, hints: bool) -> None:
    """Data 2.4.4.1: an Activity (objectType already checked).

    ``hints``: the statement's object had no objectType, so an unknown key may mean a missing one.
    """
    for key in value:
        if key not in _ACTIVITY_KEYS:
            if hints:
                if not _AGENTISH_KEYS.isdisjoint(value):
                    _fail(f"{path}.objectType", "objectType MUST be given when the object is an Agent or Group")
                if not _SUBSTATEMENTISH_KEYS.isdisjoint(value):
                    _fail(f"{path}.objectType", "objectType 'SubStatement' MUST be given for a SubStatement")
            _unknown(path, key, "an Activity (objectType, id, definition)")
    activity_id = value.get("id", _MISSING)
    if activity_id is _MISSING:
        _fail(f"{path}.id", "an Activity requires id")
    validate_iri(activity_id, f"{path}.id")
    definition = value.get("definition", _MISSING)
    if definition is not _MISSING:
        _definition(definition, f"{path}.definition")


def _activity_object(value: object, path: str) -> None:
    """An Activity where only an Activity may appear (contextActivities)."""
    _expect_dict(value, path, "an Activity")
    object_type = value.get("objectType", _MISSING)
    if object_type is not _MISSING and object_type != "Activity":
        _object_type_error(object_type, f"{path}.objectType", "'Activity'")
    _activity(value, path, False)


_STATEMENT_REF_KEYS = frozenset(("objectType", "id"))


def _statement_ref(value: object, path: str) -> None:
    """Data 2.4.4.3: a Statement Reference (objectType 'StatementRef' and a UUID id)."""
    _expect_dict(value, path, "a Statement Reference")
    _only(value, path, _STATEMENT_REF_KEYS, "a Statement Reference (objectType, id)")
    object_type = value.get("objectType", _MISSING)
    if object_type != "StatementRef":
        if object_type is _MISSING:
            _fail(f"{path}.objectType", "a Statement Reference MUST have objectType 'StatementRef'")
        _object_type_error(object_type, f"{path}.objectType", "'StatementRef'")
    statement_id = value.get("id", _MISSING)
    if statement_id is _MISSING:
        _fail(f"{path}.id", "a Statement Reference requires id")
    validate_uuid(statement_id, f"{path}.id")


_SUBSTATEMENT_KEYS = frozenset(
    ("objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments")
)
_SUBSTATEMENT_FORBIDDEN = frozenset(("id", "stored", "version", "authority"))


def _object(value: object, path: str, in_substatement: bool) -> str:
    """Data 2.4.4: the object; returns its objectType ('Activity' when omitted)."""
    _expect_dict(value, path, "an Activity, Agent, Group, StatementRef or SubStatement")
    object_type = value.get("objectType", _MISSING)
    if object_type is _MISSING:
        _activity(value, path, True)
        return "Activity"
    if object_type == "Activity":
        _activity(value, path, False)
    elif object_type == "Agent":
        _agent(value, path)
    elif object_type == "Group":
        _group(value, path)
    elif object_type == "StatementRef":
        _statement_ref(value, path)
    elif object_type == "SubStatement":
        if in_substatement:
            _fail(f"{path}.objectType", "a SubStatement MUST NOT contain a SubStatement")
        _substatement(value, path)
    else:
        _object_type_error(
            object_type, f"{path}.objectType", "one of 'Activity', 'Agent', 'Group', 'StatementRef', 'SubStatement'"
        )
    return object_type


def _substatement(value: dict, path: str) -> None:
    """Data 2.4.4.3: validated as a Statement, without id, stored, version, authority; not nested."""
    for key in value:
        if key not in _SUBSTATEMENT_KEYS:
            if key in _SUBSTATEMENT_FORBIDDEN:
                _fail(f"{path}.{key}", f"a SubStatement MUST NOT have {key!r}")
            _unknown(path, key, "a SubStatement")
    _statement_body(value, path, True)


# --- Data 2.4.5 Result ---------------------------------------------------------------------------------

_SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))


def _score(value: object, path: str) -> None:
    """Data 2.4.5.1: numbers; -1 <= scaled <= 1; min < max; min <= raw <= max."""
    _expect_dict(value, path, "a Score")
    for key, item in value.items():
        if key not in _SCORE_KEYS:
            _unknown(path, key, "a Score (scaled, raw, min, max)")
        if not _is_number(item):
            _fail(f"{path}.{key}", f"must be a number, got {_kind(item)}")
    scaled = value.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        _fail(f"{path}.scaled", "must be between -1 and 1 inclusive")
    low = value.get("min")
    high = value.get("max")
    if low is not None and high is not None and not low < high:
        _fail(f"{path}.min", "must be less than max")
    raw = value.get("raw")
    if raw is not None:
        if low is not None and raw < low:
            _fail(f"{path}.raw", "must not be less than min")
        if high is not None and raw > high:
            _fail(f"{path}.raw", "must not be greater than max")


def _result(value: object, path: str) -> None:
    _expect_dict(value, path, "a Result")
    for key, item in value.items():
        if key == "score":
            _score(item, f"{path}.score")
        elif key == "success" or key == "completion":
            if item is not True and item is not False:
                _fail(f"{path}.{key}", f"must be a boolean, got {_kind(item)}")
        elif key == "response":
            _expect_str(item, f"{path}.response")
        elif key == "duration":
            validate_duration(item, f"{path}.duration")
        elif key == "extensions":
            validate_extensions(item, f"{path}.extensions")
        else:
            _unknown(path, key, "a Result")


# --- Data 2.4.6 Context --------------------------------------------------------------------------------

_CONTEXT_ACTIVITY_KEYS = frozenset(("parent", "grouping", "category", "other"))


def _context_activities(value: object, path: str) -> None:
    """Data 2.4.6.2: parent/grouping/category/other, each an Activity or an array of Activities."""
    _expect_dict(value, path, "a contextActivities object")
    if not value:
        _fail(path, "contextActivities must contain at least one of parent, grouping, category, other")
    for key, item in value.items():
        if key not in _CONTEXT_ACTIVITY_KEYS:
            _unknown(path, key, "contextActivities (parent, grouping, category, other)")
        if isinstance(item, list):
            for index, activity in enumerate(item):
                _activity_object(activity, f"{path}.{key}[{index}]")
        elif isinstance(item, dict):
            _activity_object(item, f"{path}.{key}")
        else:
            _fail(f"{path}.{key}", f"must be an Activity or an array of Activities, got {_kind(item)}")


def _context(value: object, path: str, object_is_activity: bool) -> None:
    _expect_dict(value, path, "a Context")
    for key, item in value.items():
        if key == "registration":
            validate_uuid(item, f"{path}.registration")
        elif key == "contextActivities":
            _context_activities(item, f"{path}.contextActivities")
        elif key == "instructor":
            validate_agent(item, f"{path}.instructor")
        elif key == "team":
            _team(item, f"{path}.team")
        elif key == "revision" or key == "platform":
            _expect_str(item, f"{path}.{key}")
            if not object_is_activity:
                _fail(f"{path}.{key}", f"{key!r} MUST only be used when the statement's object is an Activity")
        elif key == "language":
            validate_language_tag(item, f"{path}.language")
        elif key == "statement":
            _statement_ref(item, f"{path}.statement")
        elif key == "extensions":
            validate_extensions(item, f"{path}.extensions")
        else:
            _unknown(path, key, "a Context")


# --- Data 2.4.11 Attachments ---------------------------------------------------------------------------

_ATTACHMENT_KEYS = frozenset(("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"))
_ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z\-]+"
_MEDIA_TYPE_RE = re.compile(rf"{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\]|\\.)*\"))*[ \t]*")
_MAX_MEDIA_TYPE_LENGTH = 1024
_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_SHA2_HEX_LENGTHS = frozenset((56, 64, 96, 128))  # SHA-224, -256, -384, -512


def _attachment(value: object, path: str) -> None:
    _expect_dict(value, path, "an Attachment")
    _only(value, path, _ATTACHMENT_KEYS, "an Attachment")
    for key in _ATTACHMENT_REQUIRED:
        if key not in value:
            _fail(f"{path}.{key}", f"an Attachment requires {key}")
    validate_iri(value["usageType"], f"{path}.usageType")
    validate_language_map(value["display"], f"{path}.display")
    description = value.get("description", _MISSING)
    if description is not _MISSING:
        validate_language_map(description, f"{path}.description")
    content_type = value["contentType"]
    if not isinstance(content_type, str):
        _fail(f"{path}.contentType", f"must be an Internet media type string, got {_kind(content_type)}")
    if len(content_type) > _MAX_MEDIA_TYPE_LENGTH or _MEDIA_TYPE_RE.fullmatch(content_type) is None:
        _fail(f"{path}.contentType", "must be an Internet media type, e.g. text/plain; charset=utf-8")
    length = value["length"]
    if type(length) is not int:
        _fail(f"{path}.length", f"must be an integer, got {_kind(length)}")
    if length < 0:
        _fail(f"{path}.length", "must not be negative")
    sha2 = value["sha2"]
    if not isinstance(sha2, str):
        _fail(f"{path}.sha2", f"must be a string, got {_kind(sha2)}")
    if len(sha2) not in _SHA2_HEX_LENGTHS or _HEX_RE.fullmatch(sha2) is None:
        _fail(f"{path}.sha2", "must be the hexadecimal SHA-2 hash (224, 256, 384 or 512 bits) of the attachment")
    file_url = value.get("fileUrl", _MISSING)
    if file_url is not _MISSING:
        validate_irl(file_url, f"{path}.fileUrl")
    # Data 2.6.s4.b1: a signature is a JWS attachment of type application/octet-stream.
    if value["usageType"] == SIGNATURE_USAGE_TYPE:
        if content_type.split(";", 1)[0].strip().lower() != "application/octet-stream":
            _fail(f"{path}.contentType", "a signature attachment MUST have contentType application/octet-stream")


def _attachments(value: object, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, f"must be an array of Attachments, got {_kind(value)}")
    for index, attachment in enumerate(value):
        _attachment(attachment, f"{path}[{index}]")


# --- Data 2.4 Statement --------------------------------------------------------------------------------

_STATEMENT_KEYS = frozenset(
    "id actor verb object result context timestamp stored authority version attachments".split()
)


def _statement_body(value: dict, path: str, in_substatement: bool) -> tuple[str, str]:
    """What a Statement and a SubStatement share; returns (verb id, object's objectType)."""
    actor = value.get("actor", _MISSING)
    if actor is _MISSING:
        _fail(f"{path}.actor", "a Statement requires actor")
    verb = value.get("verb", _MISSING)
    if verb is _MISSING:
        _fail(f"{path}.verb", "a Statement requires verb")
    obj = value.get("object", _MISSING)
    if obj is _MISSING:
        _fail(f"{path}.object", "a Statement requires object")
    validate_agent(actor, f"{path}.actor")
    verb_id = _verb(verb, f"{path}.verb")
    object_type = _object(obj, f"{path}.object", in_substatement)
    result = value.get("result", _MISSING)
    if result is not _MISSING:
        _result(result, f"{path}.result")
    context = value.get("context", _MISSING)
    if context is not _MISSING:
        _context(context, f"{path}.context", object_type == "Activity")
    timestamp = value.get("timestamp", _MISSING)
    if timestamp is not _MISSING:
        validate_timestamp(timestamp, f"{path}.timestamp")
    attachments = value.get("attachments", _MISSING)
    if attachments is not _MISSING:
        _attachments(attachments, f"{path}.attachments")
    return verb_id, object_type


def validate_statement(statement: object, *, path: str = "statement") -> None:
    """Data 2.2-2.4: raise XapiValidationError on the first way ``statement`` is not a valid Statement."""
    if not isinstance(statement, dict):
        _fail(path, f"a Statement must be a JSON object, got {_kind(statement)}")
    for key in statement:
        if key not in _STATEMENT_KEYS:
            _unknown(path, key, "a Statement (keys are case-sensitive)")
    statement_id = statement.get("id", _MISSING)
    if statement_id is not _MISSING:
        validate_uuid(statement_id, f"{path}.id")
    verb_id, object_type = _statement_body(statement, path, False)
    stored = statement.get("stored", _MISSING)
    if stored is not _MISSING:
        validate_timestamp(stored, f"{path}.stored")
    authority = statement.get("authority", _MISSING)
    if authority is not _MISSING:
        _authority(authority, f"{path}.authority")
    version = statement.get("version", _MISSING)
    if version is not _MISSING:
        validate_version(version, f"{path}.version")
    # Data 2.3.2: a voiding statement's object is a StatementRef.
    if verb_id == VERB_VOIDED and object_type != "StatementRef":
        _fail(f"{path}.object.objectType", "a voiding Statement's object MUST be a StatementRef")


def validate_statement_batch(payload: object) -> list[dict]:
    """One Statement object or a non-empty array of them; returns them as a list.

    Errors in an array name the statement: ``statements[3].verb.id``; a single object is ``statement``.
    Two statements of one batch with the same id are rejected (Communication 2.1.2: 400 Bad Request).
    """
    if isinstance(payload, dict):
        validate_statement(payload, path="statement")
        return [payload]
    if not isinstance(payload, list):
        _fail("statements", f"must be a Statement object or an array of Statements, got {_kind(payload)}")
    if not payload:
        _fail("statements", "must contain at least one Statement")
    seen: dict[str, int] = {}
    for index, statement in enumerate(payload):
        path = f"statements[{index}]"
        validate_statement(statement, path=path)
        statement_id = statement.get("id")
        if statement_id is not None:
            canonical = statement_id.lower()
            if canonical in seen:
                _fail(f"{path}.id", f"repeats the id of statements[{seen[canonical]}] in the same batch")
            seen[canonical] = index
    return payload
