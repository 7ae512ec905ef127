"""Noise that documents copied from document-sharing sites bring along: page
headers and counters (…_第1頁, 第 2 页 共 9 页, - 3 -), the site's file facts
(- 格式:docx, - 大小:11.11 KB), its footers and disclaimers (下载文档前请自行甄别…,
如有侵权请联系…) and pinyin annotations inside words (企業(yè)).

``strip_noise`` removes them and says what it removed, one warning per removal,
so nothing disappears unseen; ``removed`` gives the (start, end) offsets of every
removed piece in the input, so the parser's no-loss check can account for them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .warnings import ParseWarning

MAX_NOISE_LINE = 160  # a longer line is prose, whatever words it contains
SHOWN_CHARS = 40

# A page counter glued to a line (the title, usually): "公司運營管理制度_第1頁".
_PAGE_SUFFIX = re.compile(r"[ \t]*[_\-—|｜][ \t]*第[ \t]*[0-9０-９]+[ \t]*[页頁][ \t]*$")
_PAGE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"第[ \t]*[0-9０-９]+[ \t]*[页頁](?:[ \t]*[,，/、]?[ \t]*共[ \t]*[0-9０-９]+[ \t]*[页頁])?"
    r"|[-—–][ \t]*[0-9０-９]{1,4}[ \t]*[-—–]"
    r"|(?:Page|页码)[ \t]*[:：]?[ \t]*[0-9]{1,4}(?:[ \t]*(?:of|/)[ \t]*[0-9]{1,4})?"
    r"|[0-9]{1,4}[ \t]*/[ \t]*[0-9]{1,4}"
    r")[ \t]*$",
    re.IGNORECASE,
)
# The site's facts about the file, as list lines: "- 格式:docx", "- 大小:1.42 MB".
_FILE_FACT = re.compile(
    r"^[ \t]*[-•·*][ \t]*(?:格式|大小|文档页数|页数|上传时间|上传者|浏览次数|下载次数|下载积分|文档格式|文件大小)"
    r"[ \t]*[:：]"
)
_SITE_WORDS = re.compile(
    r"下载文档前|请自行甄别|仅部分预览|不可在线预览|申请退款|如文档侵犯|侵犯您的权益|如有侵权|侵权请联系|请联系客服|人工客服"
    r"|免责声明|版权归原作者|版权归作者|本站不保证|本站仅提供|本文档由用户|用户上传分享|文档下载|下载文档|VIP专享|会员免费"
    r"|原创力文档|百度文库|道客巴巴|豆丁网|人人文库|淘豆网|文档投稿赚钱|扫码关注|关注公众号|更多精彩内容|点击下载|内容来源于网络"
)
# 企業(yè), 管理(guǎn lǐ): a tone-marked syllable (or a numbered one, ye4) in brackets right after a character.
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"(?:[a-zü]*[{_TONE}][a-zü]*|[a-zü]{{1,6}}[1-5])"
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[ \t]*[(（][ \t]*{_SYLLABLE}(?:[ \t]+{_SYLLABLE})*[ \t]*[)）]")


@dataclass
class NoiseResult:
    text: str
    removed: list[tuple[int, int]] = field(default_factory=list)  # offsets in the input
    warnings: list[ParseWarning] = field(default_factory=list)


def _shown(s: str) -> str:
    s = s.strip()
    return s if len(s) <= SHOWN_CHARS else s[:SHOWN_CHARS] + "…"


def strip_noise(text: str) -> NoiseResult:
    spans: list[tuple[int, int, ParseWarning | None]] = []  # (start, end, warning)
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() or len(line) > MAX_NOISE_LINE:
            continue
        if _PAGE_LINE.match(line):
            spans.append((start, end, ParseWarning("page_line", {"line": _shown(line)})))
        elif _FILE_FACT.match(line):
            spans.append((start, end, ParseWarning("file_facts", {"line": _shown(line)})))
        elif _SITE_WORDS.search(line):
            spans.append((start, end, ParseWarning("site_footer", {"line": _shown(line)})))
        elif m := _PAGE_SUFFIX.search(line):
            spans.append(
                (
                    start + m.start(),
                    end,
                    ParseWarning("page_header", {"counter": _shown(m.group()), "line": _shown(line[: m.start()])}),
                )
            )
    pinyin = [(m.start(), m.end()) for m in _PINYIN.finditer(text)]
    if pinyin:
        examples = [text[max(a - 2, 0) : b].strip() for a, b in pinyin[:5]]
        code = "pinyin_more" if len(pinyin) > 5 else "pinyin"
        spans.append((pinyin[0][0], pinyin[0][1], ParseWarning(code, {"examples": examples, "count": len(pinyin)})))
        spans += [(a, b, None) for a, b in pinyin[1:]]
    if not spans:
        return NoiseResult(text)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b, _ in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    kept, last = [], 0
    for a, b in merged:
        kept.append(text[last:a])
        last = b
    kept.append(text[last:])
    return NoiseResult("".join(kept), merged, [w for _, _, w in spans if w])


def without_removed(text: str, removed: list[tuple[int, int]]) -> str:
    """``text`` minus the removed spans (for checks that nothing else went missing)."""
    parts, last = [], 0
    for a, b in removed:
        parts.append(text[last:a])
        last = b
    parts.append(text[last:])
    return "".join(parts)
