"""`review --format json`: the review as a documented, versioned document (docs/review.md, "JSON"),
the one `--compare` reads back. Keys are written in a fixed order and nothing depends on the clock, so
two reviews of the same files are byte-identical."""

from __future__ import annotations

import json

from slens_lint.output.review_formats import ReviewOptions
from slens_lint.review.model import ReviewSet


def render(review_set: ReviewSet, options: ReviewOptions) -> str:
    # ensure_ascii keeps the document ASCII and encodes the lone surrogates that stand for the
    # undecodable bytes of a file name.
    return json.dumps(review_set.to_dict(), indent=2) + "\n"
