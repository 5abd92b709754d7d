"""Fixed Japanese texts shown to staff by more than one stage."""

ABSTAIN_TEXT = "資料には該当する記載が見つかりませんでした。"
RELATED_HEADING = "関連する可能性のある箇所"
QUOTES_HEADING = "資料の該当箇所:"
