"""Outputs are written to a temporary file and renamed: an interrupted write leaves the old file."""

from __future__ import annotations

import pytest

from failure_data.files import atomic_path, write_text_atomic


def test_a_finished_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, interruption):
    target = tmp_path / "model.json"
    target.write_text("old\n")
    with pytest.raises(type(interruption)):
        with atomic_path(target) as tmp:
            assert tmp.suffix == ".json" and tmp.parent == tmp_path  # writers that go by suffix
            tmp.write_text("half a fi")
            raise interruption
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_a_new_file_interrupted_is_not_created(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_path(tmp_path / "grid.csv") as tmp:
            tmp.write_text("x")
            raise RuntimeError
    assert list(tmp_path.iterdir()) == []
