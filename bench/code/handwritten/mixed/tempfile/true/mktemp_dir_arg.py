from tempfile import mktemp


def scratch(data: bytes) -> str:
    name = mktemp(dir="/var/tmp")
    with open(name, "wb") as out:
        out.write(data)
    return name
