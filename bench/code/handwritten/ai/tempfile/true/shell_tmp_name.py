import os


def save_upload(data: bytes) -> str:
    name = "/tmp/upload_%d.bin" % os.getpid()
    with open(name, "wb") as out:
        out.write(data)
    return name
