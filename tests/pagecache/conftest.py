"""The comments' fixtures, for the pages here that show comments."""

from tests.comments.conftest import comment_data, make_comment, post_comment  # noqa: F401
