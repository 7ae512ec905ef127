"""Metadata of a regulation found in its text: document number (发文字号), issuing
department, effective date (with 元月, trial 试行 and placeholder dates), interpreting
body and the regulations it abolishes or replaces (原《…》同时废止).

Every rule runs on the matching copy (half-width, Simplified), so Traditional texts
(「自發佈之日起施行」, 「同時廢止」) are read the same; what is returned is sliced
from the original text, exactly as written."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .numerals import any_numeral_to_int
from .warnings import ParseWarning

_Y = r"[0-9〇零一二三四五六七八九]{4}"
_M = r"[0-9一二三四五六七八九十元]{1,3}"
_D = r"[0-9一二三四五六七八九十]{1,3}"
_VERB = r"(?:正式)?(?P<verb>施行|实施|执行|生效|试行)"
DATE_RE = re.compile(rf"(?:自|从|于)\s*(?P<y>{_Y})\s*年\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*日\s*起?\s*{_VERB}")
PUBLISH_RE = re.compile(rf"自\s*(?:发布|印发|公布|颁布|下发|签发|发文)\s*之?\s*日\s*起\s*{_VERB}")
# "自XXX年XX月XX日起施行", "自××××年×月×日起", "自    年  月  日起": a template never filled in.
PLACEHOLDER_RE = re.compile(
    r"(?:自|从|于)\s*[X×xＸ*＊_\s　]{1,6}年\s*[X×xＸ*＊_\s　]{1,4}月\s*[X×xＸ*＊_\s　]{1,4}日\s*起?\s*(?:正式)?"
    r"(?:施行|实施|执行|生效|试行)"
)
INTERPRETER_RES = (
    re.compile(r"由\s*(?P<who>[^由,。;:\s]{2,30}?)\s*(?:负责)?\s*解释"),
    re.compile(r"解释权\s*(?:归属于|属于|归|由)\s*(?P<who>[^,。;:\s]{2,30}?)\s*(?:所有|享有|负责)?\s*(?:[,。;]|$)"),
)
# 运营发〔2019〕12号, 人字[2020]第3号, 财〔2021〕5号
DOC_NUMBER_RE = re.compile(
    r"(?P<no>[\u4e00-\u9fff]{1,12}\s*[〔\[［【(]\s*(?:19|20)[0-9]{2}\s*[〕\]］】)]\s*第?\s*[0-9]{1,4}\s*号)"
)
# 原《…》同时废止 / 《…》(〔2018〕3号)同时废止 / 本制度替代《…》
_ABOLISH_WORDS = r"(?:同时)?(?:废止|作废|停止执行|不再执行|失效)"
ABOLISH_SENTENCE_RE = re.compile(
    rf"[^。;\n]*?《[^》]+》[^。;\n]*?{_ABOLISH_WORDS}|(?:替代|取代|代替)[^。;\n]*?《[^》]+》"
)
TITLE_IN_QUOTES_RE = re.compile(r"《(?P<title>[^》]{2,80})》")
# A signature line: an organisation's name alone on a line, right before a date line.
DATE_LINE_RE = re.compile(rf"^\s*(?P<y>{_Y})\s*年\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*日\s*$")
ISSUER_LINE_RE = re.compile(
    r"^\s*(?P<who>[\u4e00-\u9fff()]{2,30}(?:公司|部|室|处|中心|委员会|办公室|集团|局|厅|院|所|组))\s*$"
)
ISSUER_LABEL_RE = re.compile(
    r"(?:发文单位|发布单位|发布部门|印发部门|制定部门|起草部门|主办部门)\s*:\s*(?P<who>[^\s,。;]{2,30})"
)


@dataclass
class Metadata:
    effective_date: datetime.date | None = None
    effective_on_publish: bool = False
    trial: bool = False  # 试行: in force on trial
    effective_placeholder: str = ""  # "XXX年XX月XX日" left in a template, as written
    interpreter: str | None = None
    doc_number: str = ""
    issuer: str = ""
    abolishes: list[str] = field(default_factory=list)  # titles as written inside 《》
    warnings: list[ParseWarning] = field(default_factory=list)


def _month(s: str) -> int:
    return 1 if s == "元" else any_numeral_to_int(s)


def extract_metadata(text: str, norm: str, title: str | None) -> Metadata:
    meta = Metadata()
    _effective(text, norm, meta)
    meta.trial = meta.trial or bool(title and "试行" in _fold(title))  # 考勤管理办法（试行）
    matches = [m for r in INTERPRETER_RES if (m := r.search(norm))]
    if matches:
        first = min(matches, key=lambda m: m.start())
        meta.interpreter = text[first.start("who") : first.end("who")]
    if m := DOC_NUMBER_RE.search(norm):
        meta.doc_number = re.sub(r"\s+", "", text[m.start("no") : m.end("no")])
    meta.issuer = _issuer(text, norm)
    seen: set[str] = set()
    for sentence in ABOLISH_SENTENCE_RE.finditer(norm):
        for t in TITLE_IN_QUOTES_RE.finditer(norm, sentence.start(), sentence.end()):
            written = text[t.start("title") : t.end("title")].strip()
            if written and written not in seen and (not title or written != title):
                seen.add(written)
                meta.abolishes.append(written)
    return meta


def _fold(s: str) -> str:
    from .parser import normalise_for_matching

    return normalise_for_matching(s)


def _effective(text: str, norm: str, meta: Metadata) -> None:
    date_m = DATE_RE.search(norm)
    pub_m = PUBLISH_RE.search(norm)
    hole = PLACEHOLDER_RE.search(norm)
    if hole and (not date_m or hole.start() < date_m.start()) and (not pub_m or hole.start() < pub_m.start()):
        meta.effective_placeholder = text[hole.start() : hole.end()].strip()
        meta.warnings.append(ParseWarning("placeholder_date", {"text": meta.effective_placeholder}))
        meta.trial = "试行" in hole.group(0)
        return
    if pub_m and (not date_m or pub_m.start() < date_m.start()):
        meta.effective_on_publish = True
        meta.trial = pub_m.group("verb") == "试行"
        return
    if not date_m:
        return
    meta.trial = date_m.group("verb") == "试行"
    try:
        meta.effective_date = datetime.date(
            any_numeral_to_int(date_m.group("y")), _month(date_m.group("m")), any_numeral_to_int(date_m.group("d"))
        )
    except ValueError:
        meta.warnings.append(ParseWarning("invalid_date", {"text": text[date_m.start() : date_m.end()]}))


def _issuer(text: str, norm: str) -> str:
    if m := ISSUER_LABEL_RE.search(norm):
        return text[m.start("who") : m.end("who")]
    lines = text.split("\n")
    norm_lines = norm.split("\n")
    # The last date alone on a line, with the organisation's name on the line above it.
    for i in range(len(norm_lines) - 1, 0, -1):
        if DATE_LINE_RE.match(norm_lines[i]):
            j = i - 1
            while j >= 0 and not norm_lines[j].strip():
                j -= 1
            if j >= 0 and (m := ISSUER_LINE_RE.match(norm_lines[j])):
                return lines[j][m.start("who") : m.end("who")]
            return ""
    return ""
