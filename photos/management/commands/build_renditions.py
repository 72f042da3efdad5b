from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image

from photos.models import Photo


class Command(BaseCommand):
    help = (
        "Build the renditions that photos are missing, e.g. after adding a width to PHOTO_RENDITION_WIDTHS. "
        "Safe to run again and to interrupt: each photo is committed on its own, done ones are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild every rendition, not only missing ones.")
        parser.add_argument(
            "--check-files",
            action="store_true",
            help="Also rebuild renditions whose file has gone from storage (one lookup per file).",
        )

    def handle(self, *args, force=False, check_files=False, **options):
        photos = Photo.objects.order_by("pk")
        total = photos.count()
        made = failed = 0
        for number, photo in enumerate(photos.iterator(chunk_size=100), start=1):
            try:
                with transaction.atomic():
                    made += photo.build_renditions(force=force, check_files=check_files)
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                failed += 1
                self.stderr.write(f"\nPhoto {photo.pk} skipped: {error}")
            self._progress(number, total)
        self.stdout.write(f"\nBuilt {made} renditions for {total} photos.")
        if failed:
            self.stderr.write(f"{failed} photos could not be read; fix or delete them and run again.")

    def _progress(self, number, total, width=30):
        done = width * number // total
        self.stdout.write(f"\r[{'#' * done}{'.' * (width - done)}] {number}/{total} photos", ending="")
        self.stdout.flush()
