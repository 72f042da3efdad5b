"""Background jobs of the photo library."""

from jobs.queue import job

from .models import Photo


@job()
def build_renditions(photo_id):
    """Make the renditions a photo is missing, after an upload or a new focal point; returns how many.

    Until it has run, pages show the served copy (see ``Photo.renditions_of``). A photo deleted
    meanwhile needs nothing.
    """
    photo = Photo.objects.filter(pk=photo_id).first()
    return photo.build_renditions() if photo is not None else 0
