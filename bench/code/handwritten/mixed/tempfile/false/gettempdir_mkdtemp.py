import os
import tempfile


def cache_path(name):
    base = tempfile.mkdtemp(prefix="cache-")
    return os.path.join(base, os.path.basename(name) + ".cache")
