"""Verb and activity-type IRIs used by the statements we generate."""

XAPI_VERSION = "1.0.3"

VERB_REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
VERB_LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
VERB_EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_VOIDED = "http://adlnet.gov/expapi/verbs/voided"
VERB_ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
VERB_INITIALIZED = "http://adlnet.gov/expapi/verbs/initialized"
VERB_TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"
# A video player's report while it plays (ADL vocabulary; the video profile itself has no such verb).
VERB_PROGRESSED = "http://adlnet.gov/expapi/verbs/progressed"
# The xAPI video profile (https://w3id.org/xapi/video): what a video player reports.
VERB_PLAYED = "https://w3id.org/xapi/video/verbs/played"
VERB_PAUSED = "https://w3id.org/xapi/video/verbs/paused"
VERB_SEEKED = "https://w3id.org/xapi/video/verbs/seeked"

VERB_DISPLAY = {
    VERB_REGISTERED: {"id-ID": "mendaftar", "en-US": "registered"},
    VERB_LAUNCHED: {"id-ID": "memulai", "en-US": "launched"},
    VERB_EXPERIENCED: {"id-ID": "mempelajari", "en-US": "experienced"},
    VERB_ANSWERED: {"id-ID": "menjawab", "en-US": "answered"},
    VERB_PASSED: {"id-ID": "lulus", "en-US": "passed"},
    VERB_FAILED: {"id-ID": "tidak lulus", "en-US": "failed"},
    VERB_COMPLETED: {"id-ID": "menyelesaikan", "en-US": "completed"},
    VERB_ATTENDED: {"id-ID": "menghadiri", "en-US": "attended"},
    VERB_VOIDED: {"id-ID": "membatalkan", "en-US": "voided"},
    VERB_INITIALIZED: {"id-ID": "memuat", "en-US": "initialized"},
    VERB_TERMINATED: {"id-ID": "menutup", "en-US": "terminated"},
    VERB_PROGRESSED: {"id-ID": "menonton", "en-US": "progressed"},
    VERB_PLAYED: {"id-ID": "memutar", "en-US": "played"},
    VERB_PAUSED: {"id-ID": "menjeda", "en-US": "paused"},
    VERB_SEEKED: {"id-ID": "menggeser", "en-US": "seeked"},
}

ACTIVITY_TYPE_COURSE = "http://adlnet.gov/expapi/activities/course"
ACTIVITY_TYPE_LESSON = "http://adlnet.gov/expapi/activities/lesson"
ACTIVITY_TYPE_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
ACTIVITY_TYPE_MEETING = "http://adlnet.gov/expapi/activities/meeting"
ACTIVITY_TYPE_VIDEO = "https://w3id.org/xapi/video/activity-type/video"

# The video profile's own IRI (context category) and its extensions.
VIDEO_PROFILE = "https://w3id.org/xapi/video"
EXT_VIDEO_TIME = "https://w3id.org/xapi/video/extensions/time"
EXT_VIDEO_TIME_FROM = "https://w3id.org/xapi/video/extensions/time-from"
EXT_VIDEO_TIME_TO = "https://w3id.org/xapi/video/extensions/time-to"
EXT_VIDEO_PROGRESS = "https://w3id.org/xapi/video/extensions/progress"
EXT_VIDEO_PLAYED_SEGMENTS = "https://w3id.org/xapi/video/extensions/played-segments"
EXT_VIDEO_LENGTH = "https://w3id.org/xapi/video/extensions/length"
EXT_VIDEO_SESSION = "https://w3id.org/xapi/video/extensions/session-id"
EXT_VIDEO_COMPLETION_THRESHOLD = "https://w3id.org/xapi/video/extensions/completion-threshold"

# Context extensions of our own statements.
EXT_JP = "https://w3id.org/tangerang/xapi/extensions/jp"
EXT_CATEGORY = "https://w3id.org/tangerang/xapi/extensions/competency-category"
EXT_FORM = "https://w3id.org/tangerang/xapi/extensions/development-form"
# Why a credit differs from what was asked (a conversion, a yearly cap): shown with the ledger entry.
EXT_CREDIT_NOTE = "https://w3id.org/tangerang/xapi/extensions/credit-note"

PLATFORM = "Universitas Pemerintahan Kota Tangerang"
