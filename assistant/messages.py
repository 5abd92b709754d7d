"""Fixed Japanese texts shown to staff by more than one stage."""

ABSTAIN_TEXT = "資料には該当する記載が見つかりませんでした。"
RELATED_HEADING = "関連する可能性のある箇所"
QUOTES_HEADING = "資料の該当箇所:"


def not_found_text(missing: str | None) -> str:
    """What an abstention says: what was not found, when known (「資料には『市の職員数』に関する
    記載が見つかりませんでした。」), else the fixed phrase."""
    return f"資料には『{missing}』に関する記載が見つかりませんでした。" if missing else ABSTAIN_TEXT
