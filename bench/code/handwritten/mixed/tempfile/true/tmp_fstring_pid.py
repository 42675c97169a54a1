import os


def lock_file():
    path = f"/tmp/worker-{os.getpid()}.lock"
    fd = open(path, "w")
    fd.write("locked")
    return fd
