"""Every committed hostile or broken file is refused with its own located message, and a batch goes on.

The files are written by ``python -m tests.make_fixtures`` (hostile_build for the zip/XML ones,
pdf_build for the PDFs); each entry here is the message a user sees for one of them.
"""

from __future__ import annotations

import pytest
from nianbao.lint import Linter, LintOptions
from nianbao.loading import InputError, load_document

from .conftest import CORPUS, SEEDS

HOSTILE = CORPUS / "hostile"
FORMATS = CORPUS / "formats"

HOSTILE_CASES = {
    "zip_bomb.docx": ("NB01", "压缩比超过 200:1（疑似压缩炸弹），拒绝解压"),
    "encrypted.docx": ("NB01", "文件受密码保护（已加密的 Word 文档）"),
    "legacy_word97.docx": ("NB01", "旧版 Word 97-2003（.doc）"),
    "zip_password.docx": ("NB01", "受密码保护（成员 word/document.xml 已加密）"),
    "truncated.docx": ("NB01", "已损坏或不完整（无法作为 zip 打开）"),
    "no_document_xml.docx": ("NB01", "压缩包里没有 word/document.xml"),
    "billion_laughs.docx": ("NB01", "含有 DTD/实体声明，出于安全原因拒绝读取"),
    "external_entity.docx": ("NB01", "含有 DTD/实体声明，出于安全原因拒绝读取"),
    "broken_xml.docx": ("NB01", "word/document.xml 不是有效的 XML"),
    "not_a_report.docx": ("NB02", "看不出是政府信息公开工作年度报告"),
    "encrypted.pdf": ("NB01", "已加密"),
    "truncated.pdf": ("NB01", "损坏或不完整"),
    "corrupt.pdf": ("NB01", "损坏或不完整"),
    "scanned.pdf": ("NB02", "没有文字层"),
}


def test_every_hostile_file_has_a_case() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(HOSTILE_CASES)


@pytest.mark.parametrize("name", sorted(HOSTILE_CASES))
def test_hostile_file_is_refused_with_its_message(name: str, host, context) -> None:
    code, message = HOSTILE_CASES[name]
    with pytest.raises(InputError) as err:
        load_document(str(HOSTILE / name), host.loaders, context)
    assert err.value.code == code
    assert message in err.value.reason


def test_scanned_pdf_message_says_what_to_do(host, context) -> None:
    with pytest.raises(InputError) as err:
        load_document(str(HOSTILE / "scanned.pdf"), host.loaders, context)
    assert "OCR" in err.value.reason


def test_batch_goes_on_after_broken_files(host) -> None:
    good = [str(FORMATS / f"{SEEDS[0].stem}.docx"), str(FORMATS / f"{SEEDS[1].stem}.pdf")]
    run = Linter(host, LintOptions()).run([good[0], str(HOSTILE), good[1]])
    by_path = {r.path: r for r in run.results}
    # Walking a folder, a file that is plainly not a report is skipped with a note (issue 12); every
    # other broken file is still an error of its own.
    plainly_not = {name for name, (code, _) in HOSTILE_CASES.items() if name == "not_a_report.docx"}
    assert len(run.results) == 2 + len(HOSTILE_CASES) - len(plainly_not)
    assert [s.path for s in run.skipped] == [str(HOSTILE / name) for name in sorted(plainly_not)]
    for path in good:
        assert by_path[path].error is None and by_path[path].meta["organ"]
    for name, (code, message) in HOSTILE_CASES.items():
        if name in plainly_not:
            assert message in run.skipped[0].reason
            continue
        error = by_path[str(HOSTILE / name)].error
        assert error is not None and error.code == code and message in error.message
    assert run.exit_code() == 2
