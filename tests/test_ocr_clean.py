"""OCR line cleaning, as a table of real Tesseract lines.

Every case is one line of Tesseract's TSV (word, confidence) read from the scanned
Nghị quyết 168/NQ-CP (../shared/corpus/pdf/5249939518056078430_168nq.signed.pdf,
pages 1-3 at 300 dpi, tesseract 5 ``-l vie``), with what the line should keep.
"""

from __future__ import annotations

import pytest

from vnpolicy.readers.ocr_clean import clean_words

CASES = [
    # stamp strokes before the motto
    ([("————", 48), ("Độc", 94), ("lập", 93), ("-", 93), ("Tự", 97), ("do", 93), ("-", 93), ("Hạnh", 97),
      ("phúc", 97)], "Độc lập - Tự do - Hạnh phúc"),
    # the number line under the stamp: specks after the code
    ([("___", 16), ("=Số:", 48), ("168/NQ-CP", 58), ("`", 23), ("Q2", 0), (",", 2), ("x", 24)], "=Số: 168/NQ-CP"),
    # signature ink read as a word, then the place and date
    ([("giieriternpbirloðB8)", 0), ("š", 0), ("Hà", 97), ("Nội,", 96), ("ngày", 93), ("#,3", 67), ("tháng", 97),
      ("12", 97), ("năm", 97), ("2022", 97)], "Hà Nội, ngày #,3 tháng 12 năm 2022"),
    # a bullet: "HĐND," is a word, not an enumerator after the dash
    ([("-", 93), ("HĐND,", 93), ("UBND", 91), ("các", 96), ("tỉnh,", 96)], "- HĐND, UBND các tỉnh,"),
    # a thin dash read with low confidence still opens the item; the colon in the stamp goes
    ([("-", 40), ("Kiểm", 97), ("toán", 96), ("nhà", 96), ("nước;", 96), (":", 0), ("Vù", 79), ("Đúc", 95),
      ("Đam", 84)], "- Kiểm toán nhà nước; Vù Đúc Đam"),
    ([("-", 93), ("Luu:", 93), ("VT,", 93), ("KTTH", 91), ("(),„e", 0)], "- Luu: VT, KTTH"),
    # a speck before a wrapped line
    ([("._", 60), ("về", 97), ("phát", 97), ("triển", 93), ("kinh", 97), ("tế", 93)], "về phát triển kinh tế"),
    # "%;" ends a figure: it stays, and so do hyphens inside the line
    ([("công", 97), ("nghiệp", 93), ("-", 93), ("xây", 97), ("dựng", 95), ("khoảng", 97), ("37,5", 96), ("%;", 78)],
     "công nghiệp - xây dựng khoảng 37,5 %;"),
    # a wrapped line ending in a hyphen ("kinh tế -" / "xã hội")
    ([("kinh", 96), ("tế", 93), ("-", 91)], "kinh tế -"),
    # a marker before the real enumerator ("— 2, Chương trình ...")
    ([("—", 70), ("2,", 90), ("Chương", 96), ("trình", 96)], "2, Chương trình"),
    ([("_", 55), ("-", 80), ("Cải", 96), ("thiện", 96)], "- Cải thiện"),
    # strokes alone on a line
    ([("¬.", 20), (".", 15), ("„.", 10), ('"', 12)], ""),
    ([("+", 30), ("xh.", 22), ("xe”", 18), ("¬-...<", 5)], ""),
    ([("|", 40)], ""),
    # a word read with low confidence is kept: only fragments and symbols go
    ([("các", 96), ("tổ", 50), ("chức", 96), ("đảng,", 95)], "các tổ chức đảng,"),
    ([("Nghị", 96), ("quyết", 96), ("số", 96), ("168", 91), ("/NO-CP", 23)], "Nghị quyết số 168 /NO-CP"),
    # a speck glued before the enumerator goes, the enumerator stays (Quyết định 38/2016, p. 5)
    ([(".a)", 8), ("Không", 96), ("trồng", 95), ("bổ", 96), ("sung:", 90)], "a) Không trồng bổ sung:"),
    ([("__1.", 40), ("Mục", 96), ("tiêu", 96)], "1. Mục tiêu"),
    # Tesseract gives -1 for what it did not score: never noise by itself
    ([("Điều", -1), ("3.", -1)], "Điều 3."),
]


@pytest.mark.parametrize(("words", "expected"), CASES, ids=[e or "(dropped)" for _, e in CASES])
def test_clean_words(words: list[tuple[str, float]], expected: str) -> None:
    assert " ".join(clean_words(words)) == expected


def test_clean_words_never_adds_or_reorders() -> None:
    for words, _ in CASES:
        kept = clean_words(words)
        it = iter(w for w, _ in words)
        # a subsequence of the input (the first token may lose a speck: ".a)" -> "a)")
        assert all(any(w == k or (i == 0 and w.endswith(k)) for w in it) for i, k in enumerate(kept))
