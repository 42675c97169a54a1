import os
import tempfile


def lock_file():
    with tempfile.TemporaryDirectory() as workdir:
        path = os.path.join(workdir, "worker.lock")
        with open(path, "w") as fd:
            fd.write("locked")
        return os.path.exists(path)
