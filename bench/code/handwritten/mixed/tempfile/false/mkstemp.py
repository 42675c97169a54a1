import os
import tempfile


def save_report(text):
    fd, path = tempfile.mkstemp(suffix=".html")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    return path
