"""Generated résumés written as files the way people make them: Word documents of paragraphs,
of one big table, with a sidebar in a text box; PDFs of one column, two columns (a sidebar),
and with a text layer of Kangxi radicals (⼤ for 大). PDFs use reportlab's built-in Chinese
font (no font file needed); the Kangxi one embeds a TrueType CJK font when the machine has
one (fonts-wqy-zenhei), since the built-in font maps radicals back to ideographs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
from docx.oxml import parse_xml
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from benchmarks.resumes.compose import Resume

KANGXI = str.maketrans(
    "大工人日月生力长门见车金言高文方心手山子女田目",
    "⼤⼯⼈⽇⽉⽣⼒⻓⻔⻅⻋⾦⾔⾼⽂⽅⼼⼿⼭⼦⼥⽥⽬",
)
FONT = "STSong-Light"
_TTF_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def _contact(r: Resume) -> list[str]:
    return [f"电话：{r.phone}", f"邮箱：{r.email}"]


def _personal_lines(r: Resume) -> list[str]:
    pairs = [f"{label}：{value}" for label, value in r.personal]
    return ["  |  ".join(pairs[i : i + 3]) for i in range(0, len(pairs), 3)]


# ---- Word ----


def docx_paragraphs(r: Resume, path: Path) -> None:
    d = docx.Document()
    d.add_heading(f"{r.name}的个人简历", level=1)
    for line in _personal_lines(r) + _contact(r):
        d.add_paragraph(line)
    for heading, lines in r.blocks:
        p = d.add_paragraph()
        p.add_run(heading).bold = True
        for line in lines:
            d.add_paragraph(line)
    d.save(str(path))


def docx_table(r: Resume, path: Path) -> None:
    """The whole résumé in one table: personal facts in cells (with a photo cell), then a
    heading row and a content cell per section."""
    d = docx.Document()
    d.add_paragraph("个 人 简 历")
    cells = [("姓名", r.name), *r.personal, ("联系电话", r.phone), ("电子邮箱", r.email)]
    rows = (len(cells) + 1) // 2
    t = d.add_table(rows=rows, cols=5)
    for i, (label, value) in enumerate(cells):
        row, col = divmod(i, 2)
        t.cell(row, col * 2).text = label
        t.cell(row, col * 2 + 1).text = value
    photo = t.cell(0, 4).merge(t.cell(rows - 1, 4))
    photo.text = "照片" if r.personal else ""
    for heading, lines in r.blocks:
        table = d.add_table(rows=2, cols=1)
        table.cell(0, 0).text = heading
        cell = table.cell(1, 0)
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    d.save(str(path))


_TEXTBOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="position:absolute;'
    'margin-left:0;margin-top:0;width:150pt;height:600pt"><v:textbox><w:txbxContent>'
    "{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def docx_textbox(r: Resume, path: Path) -> None:
    """A sidebar in a text box (name, contact, skills, objective), the rest in paragraphs."""
    side = [r.name, *_personal_lines(r), *_contact(r)]
    body = []
    for heading, lines in r.blocks:
        if heading in _sidebar(r):
            side += [heading, *lines]
        else:
            body.append((heading, lines))
    d = docx.Document()
    anchor = d.add_paragraph()
    paragraphs = "".join(f"<w:p><w:r><w:t>{_xml(line)}</w:t></w:r></w:p>" for line in side)
    anchor._p.append(parse_xml(_TEXTBOX.format(paragraphs=paragraphs)))
    for heading, lines in body:
        d.add_paragraph().add_run(heading).bold = True
        for line in lines:
            d.add_paragraph(line)
    d.save(str(path))


def _sidebar(r: Resume) -> set[str]:
    """Headings of the blocks a sidebar holds: the objective and the skills."""
    return {r.blocks[0][0], *(h for h, _ in r.blocks if "技能" in h or "证书" in h or "资格" in h)}


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_labelled(r: Resume, path: Path, kangxi: bool = False) -> None:
    """The education entry as labelled fields in the basic-information block (毕业院校：...);
    with ``kangxi`` the text holds radicals, as some converted files do."""
    facts = r.facts
    labelled = [
        f"姓名：{r.name}",
        *_personal_lines(r),
        f"毕业院校：{facts['school']}",
        f"所学专业：{facts['major']}",
        f"学历：{facts['degree']}    毕业时间：{facts['graduated']}",
        *_contact(r),
    ]
    d = docx.Document()
    d.add_paragraph().add_run(facts["personal_heading"]).bold = True
    lines = list(labelled)
    for heading, block in r.blocks:
        lines.append(heading)
        lines += [x for x in block if x not in r.main_lines]
    for line in lines:
        d.add_paragraph(line.translate(KANGXI) if kangxi else line)
    d.save(str(path))


# ---- PDF ----


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def ttf_font() -> str | None:
    """A TrueType CJK font that holds the Kangxi radicals, registered; None when absent."""
    if "CJK-TTF" in pdfmetrics.getRegisteredFontNames():
        return "CJK-TTF"
    candidates = list(_TTF_CANDIDATES)
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
        )
        candidates += [line.split(":")[0] for line in listed.stdout.splitlines()]
    except (OSError, subprocess.SubprocessError):
        pass
    for candidate in candidates:
        if Path(candidate).is_file() and ("wqy" in candidate or "uming" in candidate):
            try:
                pdfmetrics.registerFont(TTFont("CJK-TTF", candidate, subfontIndex=0))
                return "CJK-TTF"
            except Exception:  # a CFF-based font reportlab cannot embed
                continue
    return None


def _wrap(line: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken at a space where there is one (as a
    layout engine breaks words), else anywhere (as it breaks Chinese text)."""
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width + 1)
        cut = cut if cut > width // 3 else width
        out.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    return [*out, line]


def _column(
    c: canvas.Canvas,
    x: float,
    y: float,
    lines: list[tuple[str, bool]],
    font: str,
    width: int,
    step: float,
) -> float:
    for text, bold in lines:
        c.setFont(font, 13 if bold else 10)
        for piece in _wrap(text, width):
            if y < 50:
                c.showPage()
                y = 800
                c.setFont(font, 13 if bold else 10)
            c.drawString(x, y, piece)
            y -= step + (4 if bold else 0)
    return y


def pdf_one_column(r: Resume, path: Path, kangxi: bool = False) -> bool:
    """One column; with ``kangxi`` the text layer holds radicals (False when no font can)."""
    font = ttf_font() if kangxi else _font()
    if font is None:
        return False
    c = canvas.Canvas(str(path))
    lines = [(r.name, True), *[(x, False) for x in _personal_lines(r) + _contact(r)]]
    for heading, block in r.blocks:
        lines += [(heading, True), *[(x, False) for x in block]]
    if kangxi:
        lines = [(text.translate(KANGXI), bold) for text, bold in lines]
    _column(c, 50, 800, lines, font, 48, 16)
    c.save()
    return True


def pdf_two_columns(r: Resume, path: Path) -> None:
    """A sidebar (contact, skills, objective) and a main column with its own line spacing."""
    font = _font()
    c = canvas.Canvas(str(path))
    c.setFont(font, 18)
    c.drawString(250, 805, r.name)
    side: list[tuple[str, bool]] = [("联系方式", True), *[(x, False) for x in _contact(r)]]
    side += [(f"{label}：{value}", False) for label, value in r.personal]
    main: list[tuple[str, bool]] = []
    for heading, block in r.blocks:
        target = side if heading in _sidebar(r) else main
        target += [(heading, True), *[(x, False) for x in block]]
    _column(c, 36, 770, side, font, 15, 15)
    _column(c, 225, 770, main, font, 31, 17)
    c.save()
