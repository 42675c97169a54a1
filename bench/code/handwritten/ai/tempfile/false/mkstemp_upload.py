import os
import tempfile


def save_upload(data: bytes) -> str:
    fd, name = tempfile.mkstemp(suffix=".bin")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return name
