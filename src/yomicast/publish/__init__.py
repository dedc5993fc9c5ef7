"""The publish stage. In: a built show folder and an S3 target. Out: the same show in the bucket, changed
in an order that keeps it consistent at every instant. May import: show, settings, fsutil, errors.

``plan`` (what to upload, keep and delete, in which order: pure), ``bucket`` (boto3, and its errors turned
into ours), ``publisher`` (the phases: media, pages, index, feed, then deletions after the grace period).
"""
