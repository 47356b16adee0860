"""Writing a fixed file: the encoding, BOM and permissions it had; never through a link that leaves
the linted folder; never over changes made since it was read; never half a file."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

from slens_lint.fixes.write import Original, WriteRefused, write

TEXT = "Resources:\r\n  Logs:\r\n    Type: AWS::Logs::LogGroup  # é\r\n"


@pytest.mark.parametrize(
    "bom, encoding",
    [(b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (b"", "utf-16-le")],
    ids=["utf-8", "utf-8 BOM", "utf-16-le BOM", "utf-16-be BOM", "utf-16-le without BOM"],
)
def test_encoding_bom_and_line_endings_kept(tmp_path: Path, bom: bytes, encoding: str):
    path = tmp_path / "t.yaml"
    path.write_bytes(bom + TEXT.encode(encoding))
    original = Original.read(path)
    assert original.text == TEXT
    fixed = original.text + "    Properties:\r\n      RetentionInDays: 30\r\n"
    write(original, fixed, root=tmp_path)
    assert path.read_bytes() == bom + fixed.encode(encoding)
    assert not [p for p in tmp_path.iterdir() if p.name != "t.yaml"], "no temporary file left"


def test_permissions_kept(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    os.chmod(path, 0o640)
    write(Original.read(path), "a: 2\n", root=tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "a: 2\n"


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    original = Original.read(path)
    path.write_text("a: 1  # edited meanwhile\n", encoding="utf-8")
    with pytest.raises(WriteRefused, match="changed since it was read"):
        write(original, "a: 2\n", root=tmp_path)
    assert path.read_text() == "a: 1  # edited meanwhile\n"


def test_a_link_out_of_the_linted_folder_is_not_followed(tmp_path: Path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    link = project / "t.yaml"
    link.symlink_to(outside)
    with pytest.raises(WriteRefused, match="outside"):
        write(Original.read(link), "a: 2\n", root=project)
    assert outside.read_text() == "a: 1\n"


def test_a_link_inside_the_folder_writes_its_target(tmp_path: Path):
    target = tmp_path / "real.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    link = tmp_path / "t.yaml"
    link.symlink_to(target)
    write(Original.read(link), "a: 2\n", root=tmp_path)
    assert link.is_symlink() and target.read_text() == "a: 2\n"
