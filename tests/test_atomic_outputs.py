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


def test_a_new_file_gets_ordinary_permissions_and_an_old_one_keeps_its_own(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "new.txt", "x")
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644  # 0666 less the umask
        old = tmp_path / "old.txt"
        old.write_text("y")
        old.chmod(0o640)
        write_text_atomic(old, "z")
        assert old.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)


def test_remove_unfinished_removes_the_temporaries_of_writes_under_way_and_leaves_targets(tmp_path):
    # what the CLI's Ctrl-C watchdog calls before it ends the process without unwinding
    from failure_data.files import OutputError, remove_unfinished

    old = tmp_path / "old.csv"
    old.write_text("old\n")
    # (were the writer to go on, its rename would fail: the target is never half-written; the
    # failure is an output error naming the file, as every write that cannot finish)
    with pytest.raises(OutputError, match="No such file"), atomic_path(old) as a, atomic_path(tmp_path / "new.csv") as b:
        a.write_text("half")
        b.write_text("half")
        remove_unfinished()
        assert not a.exists() and not b.exists()
        remove_unfinished()  # nothing left to do: no error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]
    assert old.read_text() == "old\n"
