"""Controlled vocabularies: evidence status, Admiralty grades, ICD 203 terms, TLP 2.0 markings."""

from __future__ import annotations

STATUSES: dict[str, str] = {
    "confirmed": "Two or more independent origins, or an official primary record",
    "reported": "Single origin, not independently checked",
    "disputed": "Credible evidence both for and against",
    "denied": "A named party denies it and nothing independent backs it",
    "refuted": "Shown to be false by credible evidence",
    "retracted": "Withdrawn by the source that made it",
    "superseded": "Replaced by a newer claim",
    "unassessed": "Recorded but not yet assessed",
}

RELIABILITY: dict[str, str] = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}

CREDIBILITY: dict[int, str] = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}

CONFIDENCE: dict[str, str] = {
    "low": "Information is scant, questionable or fragmented; solid judgments are hard to draw",
    "moderate": "Information is credibly sourced and plausible but not corroborated well enough "
    "for higher confidence",
    "high": "Judgment rests on high-quality information from multiple sources",
}

# ICD 203 estimative language: term -> (low %, high %)
ESTIMATIVE_TERMS: dict[str, tuple[int, int]] = {
    "almost no chance": (1, 5),
    "very unlikely": (5, 20),
    "unlikely": (20, 45),
    "roughly even chance": (45, 55),
    "likely": (55, 80),
    "very likely": (80, 95),
    "almost certain": (95, 99),
}

# Words that estimate but are not on the ICD 203 scale.
NONSTANDARD_ESTIMATIVE = (
    "probably",
    "possibly",
    "perhaps",
    "maybe",
    "might",
    "certainly",
    "highly likely",
    "most likely",
    "highly unlikely",
    "almost surely",
    "doubtless",
    "presumably",
    "conceivably",
)

STANCES: dict[str, str] = {
    "supports": "The source asserts the claim",
    "contradicts": "The source asserts the opposite",
    "denies": "A named party denies the claim in this source",
    "mentions": "The source mentions the claim without asserting it",
}

# FIRST TLP 2.0, in order.
MARKINGS: tuple[str, ...] = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")

MARKING_TEXT: dict[str, str] = {
    "TLP:CLEAR": "Disclosure is not limited.",
    "TLP:GREEN": "Limited disclosure: the recipient's community, not public channels.",
    "TLP:AMBER": "Limited disclosure: the recipient's organisation and its clients on a need-to-know basis.",
    "TLP:AMBER+STRICT": "Limited disclosure: the recipient's organisation only.",
    "TLP:RED": "For the eyes and ears of individual recipients only, no further disclosure.",
}

# Classified markings this tool must refuse: it is not an accredited system.
CLASSIFIED_MARKINGS = (
    "RESTREINT UE",
    "EU RESTRICTED",
    "CONFIDENTIEL UE",
    "EU CONFIDENTIAL",
    "SECRET UE",
    "EU SECRET",
    "TRES SECRET UE",
    "TRÈS SECRET UE",
    "EU TOP SECRET",
)

# What kind of source a document is. 'official-record' (a primary record of the body concerned: a register, a
# gazette, a sanctions listing) confirms a claim on its own; the others say how a reader should weigh it.
SOURCE_CLASS_LABELS = {
    "official-record": "Official record", "official-statement": "Official statement",
    "official-statistics": "Official statistics", "government-estimate": "Government estimate",
    "news-investigation": "Investigative report", "news-report": "News report",
    "news-rewrite": "Rewrite of another outlet's report", "research": "Research", "policy-paper": "Policy paper",
    "expert-estimate": "Expert estimate", "commentary": "Commentary", "opinion": "Opinion",
    "anonymous-officials": "Officials speaking anonymously",
    "interview-unverifiable": "Interview that cannot be checked",
    "unidentified-reports": "Reports of unidentified origin", "dataset": "Dataset", "other": "Other",
}  # value in the corpus -> what a reader sees
SOURCE_CLASSES = tuple(SOURCE_CLASS_LABELS)

ENTITY_KIND_LABELS = {
    "state-body": "State body", "company": "Company", "institution": "Institution", "person": "Person",
    "programme": "Programme", "place": "Place", "group": "Group", "state": "State",
}  # value in the corpus -> what a reader sees
ENTITY_KINDS = tuple(ENTITY_KIND_LABELS)

SECTION_TITLES = {  # a pack's sections, as 'sections:' names them -> their headings
    "bottom-line": "Bottom line",
    "key-judgments": "Key judgments",
    "recommended": "Recommended course",
    "recommendations": "Recommendations",
    "evidence": "Evidence at a glance",
    "discussion": "Discussion",
    "figures": "Key figures",
    "gaps": "What we do not know",
    "timeline": "Timeline",
    "entities": "Entity register",
    "sources": "Sources",
    "annex-scales": "Scales and statuses",
    "annex-changes": "Changes since the previous version",
}
PACK_SECTIONS = tuple(SECTION_TITLES)
REGISTERS = ("evidence", "timeline", "entities", "sources")  # pack sections with one row per record
REGISTER_SETTINGS = ("auto", "in-pack", "separate")  # a pack's 'registers': where they go
SEPARATE_ROWS = 2000  # 'auto' sets a pack's registers apart above this many rows (about 100 printed pages)


def normalise_marking(value: str) -> str | None:
    """'amber', 'TLP:AMBER', 'tlp: amber' -> 'TLP:AMBER'; None when not a TLP 2.0 label."""
    text = value.strip().upper().replace(" ", "")
    if not text.startswith("TLP:"):
        text = "TLP:" + text
    if text == "TLP:WHITE":  # TLP 1.0 name, renamed CLEAR in 2.0
        return None
    return text if text in MARKINGS else None


def is_classified(value: str) -> bool:
    text = " ".join(value.upper().replace("-", " ").split())
    return any(text == c or text.startswith(c + " ") for c in CLASSIFIED_MARKINGS)


def marking_rank(marking: str) -> int:
    return MARKINGS.index(marking)
