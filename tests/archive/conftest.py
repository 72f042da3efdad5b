import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

FILES = Path(__file__).parent / "files"


@pytest.fixture
def media_dir(tmp_path):
    """A copy of wp-content/uploads with the one photo the sample export attaches."""
    folder = tmp_path / "uploads"
    (folder / "2020/06").mkdir(parents=True)
    Image.new("RGB", (64, 48), (9, 90, 9)).save(folder / "2020/06/ballot.jpg")
    return folder


@pytest.fixture
def run_import():
    """Run an import command; returns (report text, progress text)."""

    def run(command, *args, **options):
        out, err = io.StringIO(), io.StringIO()
        call_command(command, *[str(arg) for arg in args], stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def sample():
    return FILES / "newsroom-1.2.xml"
