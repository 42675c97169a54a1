import os


def cache_path(name):
    target = os.path.join("/tmp", name + ".cache")
    with open(target, "wb") as fh:
        fh.write(b"")
    return target
