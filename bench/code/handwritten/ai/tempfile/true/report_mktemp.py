import os
import tempfile


def write_report(lines):
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path
