"""Write the résumé benchmark set: realistic Chinese résumés of many majors and levels as DOCX
(paragraphs, one big table, a text-box sidebar, labelled fields, a radicals text layer) and PDF
(one column, two columns, a radicals text layer), each with its truth, plus the files a reader
must refuse (a scan without text, an encrypted PDF, a damaged one, a 50 MB one, a legacy .doc,
an RTF file).

    python benchmarks/resumes/make_resumes.py OUT [--seed 0] [--per-field 2]

writes ``OUT/*.docx|pdf``, ``OUT/truth.json`` (file → fields) and ``OUT/unreadable/``."""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.resumes import render
from benchmarks.resumes.compose import Resume, compose
from benchmarks.resumes.profiles import FIELDS

Writer = Callable[[Resume, Path], object]
#: (file suffix, layout name, writer); résumés take them in turn
LAYOUTS: tuple[tuple[str, str, Writer], ...] = (
    (".docx", "docx-paragraphs", render.docx_paragraphs),
    (".pdf", "pdf-one-column", render.pdf_one_column),
    (".docx", "docx-table", render.docx_table),
    (".pdf", "pdf-two-columns", render.pdf_two_columns),
    (".docx", "docx-textbox", render.docx_textbox),
    (".pdf", "pdf-kangxi", lambda r, p: render.pdf_one_column(r, p, kangxi=True)),
    (".docx", "docx-labelled", render.docx_labelled),
    (".docx", "docx-kangxi", lambda r, p: render.docx_labelled(r, p, kangxi=True)),
)


def write_set(out: Path, *, seed: int = 0, per_field: int = 2, year: int = 2025) -> dict[str, dict]:
    """The résumés and ``truth.json``; returns the truth by file name."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    truth: dict[str, dict] = {}
    n = 0
    for _ in range(per_field):
        for field in FIELDS:
            resume = compose(field, rng, year)
            suffix, layout, writer = LAYOUTS[n % len(LAYOUTS)]
            path = out / f"resume-{n + 1:03d}{suffix}"
            if writer(resume, path) is False:  # no TrueType CJK font: radicals in a DOCX
                suffix, layout = ".docx", "docx-kangxi"
                path = path.with_suffix(suffix)
                render.docx_labelled(resume, path, kangxi=True)
            truth[path.name] = {**resume.truth, "layout": layout}
            n += 1
    (out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return truth


SCANNED = (
    "个人简历\n姓名：李华\n教育背景\n2021.09-2025.06 重庆师范大学 汉语言文学 本科\n"
    "技能证书\n教师资格证、普通话二级甲等、大学英语四级\n实习经历\n"
    "2024.03-2024.06 重庆市第八中学校 语文实习教师"
)


def scanned_pdf(path: Path, text: str = SCANNED) -> None:
    """A PDF whose only content is a picture of a page (no text layer)."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    font_path = next((p for p in render._TTF_CANDIDATES if Path(p).is_file()), None)
    font = ImageFont.truetype(font_path, 40) if font_path else ImageFont.load_default()
    for i, line in enumerate(text.splitlines()):
        draw.text((100, 120 + 70 * i), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    c = render.canvas.Canvas(str(path))
    c.drawImage(ImageReader(buffer), 0, 0, width=595, height=842)
    c.save()


def unreadable(out: Path) -> dict[str, str]:
    """Files a reader must refuse, each with the machine reason it should give."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    out.mkdir(parents=True, exist_ok=True)
    scanned_pdf(out / "scanned.pdf")
    font = render._font()
    c = render.canvas.Canvas(str(out / "encrypted.pdf"), encrypt=StandardEncryption("secret"))
    c.setFont(font, 12)
    c.drawString(50, 800, "个人简历 教育背景 重庆大学")
    c.save()
    good = io.BytesIO()
    c = render.canvas.Canvas(good)
    c.setFont(font, 12)
    c.drawString(50, 800, "个人简历 教育背景 重庆大学 软件工程 本科 2021.09-2025.06")
    c.save()
    data = good.getvalue()
    (out / "corrupt.pdf").write_bytes(data[: len(data) // 2])
    with (out / "huge.pdf").open("wb") as f:  # 50 MB
        f.write(b"%PDF-1.4\n")
        f.truncate(50 * 1024 * 1024)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    (out / "legacy.doc").write_bytes(ole + bytes(4096))
    (out / "resume.rtf").write_bytes(b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl} \\'b8\\'f6\\'c8\\'cb}")
    return {
        "scanned.pdf": "scanned_pdf",
        "encrypted.pdf": "encrypted_file",
        "corrupt.pdf": "corrupt_file",
        "huge.pdf": "file_too_large",
        "legacy.doc": "legacy_doc",
        "resume.rtf": "unsupported_format",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--per-field", type=int, default=2, help="résumés per kind of graduate (28 kinds)"
    )
    args = parser.parse_args(argv)
    truth = write_set(args.out, seed=args.seed, per_field=args.per_field)
    reasons = unreadable(args.out / "unreadable")
    print(f"{len(truth)} résumés and {len(reasons)} unreadable files → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
